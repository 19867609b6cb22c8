import CapstanBasics
import CapstanModules
import Collections

/// Argument conversions shared by the controller actions, with the module argument checker's
/// messages (a bad value throws `ModuleArgumentError`, which fails the task).
enum ActionArguments {
    /// `name` as a boolean (`yes`, `true`, `1`, ...), or `default` when absent.
    static func bool(
        _ args: OrderedDictionary<String, Value>, _ name: String, default fallback: Bool = false, action: String
    ) throws
        -> Bool
    {
        guard let value = args[name] else { return fallback }
        return try ArgumentConversion.convert(value, to: .bool, name: name, module: action) == .bool(true)
    }

    /// `name` as an integer, or nil when absent.
    static func int(_ args: OrderedDictionary<String, Value>, _ name: String, action: String) throws -> Int? {
        guard let value = args[name] else { return nil }
        guard case .int(let n) = try ArgumentConversion.convert(value, to: .int, name: name, module: action) else {
            return nil
        }
        return n
    }

    /// `name` as a float, or nil when absent.
    static func float(_ args: OrderedDictionary<String, Value>, _ name: String, action: String) throws -> Double? {
        guard let value = args[name] else { return nil }
        switch try ArgumentConversion.convert(value, to: .float, name: name, module: action) {
        case .float(let d): return d
        case .int(let n): return Double(n)
        default: return nil
        }
    }

    /// `name` as a string, or nil when absent or null.
    static func string(_ args: OrderedDictionary<String, Value>, _ name: String) -> String? {
        switch args[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: return other.pythonString
        }
    }
}
