import CapstanBasics

/// Converts argument values to the kind a module asked for, with Ansible's rules (`yes` is a
/// boolean, `"8"` is an int, a comma-separated string is a list).
package enum ArgumentConversion {
    static let trueWords: Set<String> = ["yes", "on", "1", "true", "y", "t"]
    static let falseWords: Set<String> = ["no", "off", "0", "false", "n", "f"]

    package static func convert(_ value: Value, to kind: ArgumentDefinition.Kind, name: String, module: String) throws
        -> Value
    {
        func wrong(_ what: String) -> ModuleArgumentError {
            ModuleArgumentError(
                module: module,
                message:
                    "argument '\(name)' is of type \(value.pythonTypeName) and we were unable to convert to \(what)")
        }
        switch kind {
        case .raw: return value
        case .custom(let conversion):
            // As in Ansible, a null is not converted.
            if value == .null { return value }
            do { return try conversion.convert(value) } catch let refusal as CustomConversion.Refusal {
                throw ModuleArgumentError(
                    module: module,
                    message:
                        "argument '\(name)' is of type \(value.pythonTypeName) and we were unable to convert to \(conversion.name): \(refusal.reason)"
                )
            }
        case .string, .path:
            switch value {
            case .string: return value
            case .null: return value
            case .list, .dict: throw wrong("str")
            default: return .string(value.pythonString)
            }
        case .bool:
            switch value {
            case .bool: return value
            case .int(let i) where i == 0 || i == 1: return .bool(i == 1)
            case .float(let d) where d == 0 || d == 1: return .bool(d == 1)
            case .string(let s):
                if trueWords.contains(s.lowercased()) { return .bool(true) }
                if falseWords.contains(s.lowercased()) { return .bool(false) }
                throw wrong("bool")
            default: throw wrong("bool")
            }
        case .int:
            // Ansible's `check_type_int`: a whole number, also written as a float or a decimal string.
            switch value {
            case .int: return value
            case .float(let d): if let i = Int(exactly: d) { return .int(i) }
            case .string(let s):
                let text = s.trimmingWhitespace()
                if let i = Int(text) { return .int(i) }
                if let d = Double(text), d.isFinite, let i = Int(exactly: d) { return .int(i) }
            default: break
            }
            let shown = value.pythonRepr
            throw ModuleArgumentError(
                module: module,
                message:
                    "argument '\(name)' is of type \(value.pythonTypeName) and we were unable to convert to int: \"\(shown)\" cannot be converted to an int"
            )
        case .float:
            switch value {
            case .float: return value
            case .int(let i): return .float(Double(i))
            case .string(let s): if let d = Double(s.trimmingWhitespace()) { return .float(d) }
            default: break
            }
            throw wrong("float")
        case .list:
            switch value {
            case .list: return value
            case .string(let s): return .list(s.split(separator: ",").map { .string(String($0)) })
            case .int, .float, .bool: return .list([.string(value.pythonString)])
            default: throw wrong("list")
            }
        case .dict:
            if case .dict = value { return value }
            throw wrong("dict")
        }
    }
}
