import CapstanBasics

/// The conversions Ansible's actions name by function in their argument specs (`type=int`,
/// `type=str_or_list_of_str`), for `ArgumentDefinition.Kind.custom`, with Python's reasons.
public enum AnsibleConversions {
    /// `_check_type_str_no_conversion`: a string, nothing else (debug's `var`).
    public static let stringNoConversion = CustomConversion("_check_type_str_no_conversion") { value in
        guard case .string = value else {
            throw CustomConversion.Refusal(
                "'\(value.pythonRepr)' is not a string and conversion is not allowed")
        }
        return value
    }

    /// `str_or_list_of_str`: a string or a list of strings (assert's messages).
    public static let stringOrListOfStrings = CustomConversion("str_or_list_of_str") { value in
        switch value {
        case .string: return value
        case .list(let items) where items.allSatisfy({ $0.stringValue != nil }): return value
        default: throw CustomConversion.Refusal("a string or list of strings is required")
        }
    }

    /// `_check_type_list_strict`: a list as it is, anything else a list of that one item (assert's `that`).
    public static let listStrict = CustomConversion("_check_type_list_strict") { value in
        if case .list = value { return value }
        return .list([value])
    }

    /// Python's `int()`, which Ansible's pause names to accept floats: a float loses its fraction, a
    /// string must be a whole number.
    public static let pythonInt = CustomConversion("int") { value in
        switch value {
        case .int: return value
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d):
            if d.isNaN { throw CustomConversion.Refusal("cannot convert float NaN to integer") }
            if d.isInfinite { throw CustomConversion.Refusal("cannot convert float infinity to integer") }
            guard let n = Int(exactly: d.rounded(.towardZero)) else {
                throw CustomConversion.Refusal("\(PythonFloat.repr(d)) is too large for this run")
            }
            return .int(n)
        case .string(let s):
            if let n = Int(s.trimmingWhitespace()) { return .int(n) }
            throw CustomConversion.Refusal("invalid literal for int() with base 10: \(PythonString.repr(s))")
        default:
            throw CustomConversion.Refusal(
                "int() argument must be a string, a bytes-like object or a real number, not '\(value.pythonTypeName)'")
        }
    }
}
