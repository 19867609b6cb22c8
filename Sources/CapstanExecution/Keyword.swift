import CapstanBasics
import CapstanPlaybook
import CapstanTemplating

/// Reads `Templated` keyword values in a host's scope, with Ansible's conversions.
enum Keyword {
    /// A boolean keyword (`become`, `ignore_errors`, `run_once`, ...).
    static func bool(_ value: Templated<Bool>?, templar: Templar, scope: VariableScope) throws
        -> Bool?
    {
        switch value {
        case nil: return nil
        case .value(let b)?: return b
        case .template(let t)?: return truthy(try templar.renderValue(t, scope: scope))
        }
    }

    /// An integer keyword (`retries`, `timeout`, ...).
    static func int(_ value: Templated<Int>?, templar: Templar, scope: VariableScope) throws -> Int? {
        switch value {
        case nil: return nil
        case .value(let i)?: return i
        case .template(let t)?:
            let v = try templar.renderValue(t, scope: scope)
            if case .int(let i) = v { return i }
            return Int(v.pythonString.trimmingWhitespace())
        }
    }

    /// A number keyword (`delay`, `max_fail_percentage`, ...).
    static func double(_ value: Templated<Double>?, templar: Templar, scope: VariableScope) throws
        -> Double?
    {
        switch value {
        case nil: return nil
        case .value(let d)?: return d
        case .template(let t)?:
            let v = try templar.renderValue(t, scope: scope)
            switch v {
            case .int(let i): return Double(i)
            case .float(let d): return d
            default: return Double(v.pythonString.trimmingWhitespace())
            }
        }
    }

    /// Ansible's `boolean()` on a templated value.
    static func truthy(_ v: Value) -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .string(let s): return ["yes", "on", "1", "true", "y", "t"].contains(s.lowercased())
        default: return v.isTruthy
        }
    }
}
