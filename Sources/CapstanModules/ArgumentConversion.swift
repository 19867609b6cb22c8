import CapstanBasics
import Foundation

/// Converts argument values to the kind a module asked for, with Ansible's rules (`yes` is a
/// boolean, `"8"` is an int, a comma-separated string is a list).
package enum ArgumentConversion {
    package static let trueWords: Set<String> = ["yes", "on", "1", "true", "y", "t"]
    package static let falseWords: Set<String> = ["no", "off", "0", "false", "n", "f"]

    /// Why a value is not of the kind wanted, in the words of Ansible's `check_type_*` functions.
    struct Failure: Error {
        /// The reason after the colon of "unable to convert to int: ...".
        var reason: String
    }

    /// A module argument converted to `kind` (a list or mapping wanted as a string becomes its Python
    /// text, as ansible-core 2.19's `check_type_str` converts it).
    package static func convert(_ value: Value, to kind: ArgumentDefinition.Kind, name: String, module: String) throws
        -> Value
    {
        // As in Ansible, a null is not given to a custom type function.
        if case .custom = kind, value == .null { return value }
        do {
            return try check(value, kind)
        } catch let failure as Failure {
            throw ModuleArgumentError(
                module: module,
                message: "argument '\(name)' is of type \(value.pythonTypeName) and we were unable to convert to "
                    + "\(kind.ansibleName): \(failure.reason)")
        }
    }

    /// `value` as `kind`, as Ansible's `check_type_<kind>` converts it (a list becomes its Python text
    /// when a string is wanted), or the reason it cannot be.
    static func check(_ value: Value, _ kind: ArgumentDefinition.Kind) throws -> Value {
        switch kind {
        case .raw: return value
        case .string, .path:
            switch value {
            case .string: return value
            case .null: return .string("")
            default: return .string(value.pythonString)
            }
        case .bool: return try bool(value)
        case .int: return try int(value)
        case .float:
            switch value {
            case .float: return value
            case .int(let i): return .float(Double(i))
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let s): if let d = Double(s.trimmingWhitespace()) { return .float(d) }
            default: break
            }
            throw Failure(reason: "\(pythonClass(value)) cannot be converted to a float")
        case .list:
            switch value {
            case .list: return value
            case .string(let s): return .list(s.components(separatedBy: ",").map { .string($0) })
            case .int, .float, .bool: return .list([.string(value.pythonString)])
            default: throw Failure(reason: "\(pythonClass(value)) cannot be converted to a list")
            }
        case .dict: return try dict(value)
        case .custom(let conversion):
            do { return try conversion.convert(value) } catch let refusal as CustomConversion.Refusal {
                throw Failure(reason: refusal.reason)
            }
        }
    }

    private static func bool(_ value: Value) throws -> Value {
        switch value {
        case .bool: return value
        case .int(let i) where i == 0 || i == 1: return .bool(i == 1)
        case .float(let d) where d == 0 || d == 1: return .bool(d == 1)
        case .string(let s) where trueWords.contains(s.lowercased()): return .bool(true)
        case .string(let s) where falseWords.contains(s.lowercased()): return .bool(false)
        case .string, .int, .float:
            // Ansible prints its set of booleans (1 and 0 are numbers there), in an order that changes
            // with Python's string hashing: this is one of those orders.
            let valid = [
                "'y'", "'yes'", "'on'", "'1'", "'true'", "'t'", "1", "'n'", "'no'", "'off'", "'0'", "'false'", "'f'",
                "0",
            ]
            throw Failure(
                reason: "The value '\(value.pythonString)' is not a valid boolean. Valid booleans include: "
                    + valid.joined(separator: ", "))
        default: throw Failure(reason: "\(pythonClass(value)) cannot be converted to a bool")
        }
    }

    private static func int(_ value: Value) throws -> Value {
        switch value {
        case .int, .bool: return value
        case .float(let d): if let i = Int(exactly: d) { return .int(i) }
        case .string(let s):
            let text = s.trimmingWhitespace()
            if let i = Int(text) { return .int(i) }
            if let d = Double(text), d == d.rounded(), d.isFinite, abs(d) < 9e18 { return .int(Int(d)) }
        default: break
        }
        throw Failure(reason: "\"\(value.pythonRepr)\" cannot be converted to an int")
    }

    private static func dict(_ value: Value) throws -> Value {
        guard case .string(let s) = value else {
            if case .dict = value { return value }
            throw Failure(reason: "\(pythonClass(value)) cannot be converted to a dict")
        }
        if s.hasPrefix("{") {
            if let parsed = try? Value(jsonText: s), case .dict = parsed { return parsed }
            throw Failure(reason: "unable to evaluate string as dictionary")
        }
        guard s.contains("=") else { throw Failure(reason: "dictionary requested, could not parse JSON or key=value") }
        var result: [(String, Value)] = []
        for field in s.split(whereSeparator: { $0 == "," || $0 == " " }) {
            guard let equals = field.firstIndex(of: "=") else {
                throw Failure(reason: "unable to evaluate string in the \"key=value\" format as dictionary")
            }
            result.append((String(field[..<equals]), .string(String(field[field.index(after: equals)...]))))
        }
        return .dict(.init(result, uniquingKeysWith: { $1 }))
    }

    /// Python's `type(value)` as printed: `<class 'str'>`.
    package static func pythonClass(_ value: Value) -> String { "<class '\(value.pythonTypeName)'>" }
}

extension ArgumentDefinition.Kind {
    /// The type's name in Ansible's argument specs and messages (`str`, `int`, `list`, ...).
    package var ansibleName: String {
        switch self {
        case .string: return "str"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .list: return "list"
        case .dict: return "dict"
        case .path: return "path"
        case .raw: return "raw"
        case .custom(let conversion): return conversion.name
        }
    }

    /// The kind Ansible's `type:` names; nil for a name it does not know.
    init?(ansibleName: String) {
        switch ansibleName {
        case "str": self = .string
        case "bool": self = .bool
        case "int": self = .int
        case "float": self = .float
        case "list": self = .list
        case "dict": self = .dict
        case "path": self = .path
        case "raw", "json", "jsonarg", "bytes", "bits": self = .raw
        default: return nil
        }
    }
}

extension ArgumentDefinition.Kind: Equatable {
    /// Kinds are equal when they convert alike; custom conversions are told apart by their names.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.ansibleName == rhs.ansibleName }
}
