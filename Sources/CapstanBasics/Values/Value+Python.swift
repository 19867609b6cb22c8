/// Rendering of values the way Python's `str()` and `repr()` do, which is what users see when
/// Ansible prints a variable or a template interpolates a list or a dict.
extension Value {
    /// Python's `str(value)`: strings bare, everything else as `repr`.
    public var pythonString: String {
        switch self {
        case .string(let s): return s
        default: return pythonRepr
        }
    }

    /// Python's `repr(value)`: `None`, `True`, `'text'`, `[1, 'a']`, `{'k': 1}`.
    public var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PythonFloat.repr(d)
        case .string(let s): return PythonString.repr(s)
        case .list(let l): return "[" + l.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .dict(let d):
            return "{" + d.map { PythonString.repr($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ") + "}"
        }
    }
}

/// Python's `repr` of a `str`.
public enum PythonString {
    /// Quotes with `'` unless the text holds `'` and no `"`, and escapes as CPython does.
    public static func repr(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value >= 0x80 && scalar.value < 0xa0 {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}

/// Python's `repr` of a `float`: the shortest digits that round-trip, in positional notation for
/// decimal exponents from -4 to 15 and in exponent notation (`1e+16`, `1.5e-05`) outside that range.
public enum PythonFloat {
    /// Formats `d` exactly as CPython's `float.__repr__` does.
    public static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, exponent) = shortestDigits(d)
        // `exponent` is the power of ten of the first digit (scientific exponent).
        var body: String
        if exponent < -4 || exponent >= 16 {
            let mantissa = digits.count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
            let sign = exponent < 0 ? "-" : "+"
            let e = abs(exponent)
            body = mantissa + "e" + sign + (e < 10 ? "0" : "") + String(e)
        } else if exponent < 0 {
            body = "0." + String(repeating: "0", count: -exponent - 1) + digits
        } else if digits.count <= exponent + 1 {
            body = digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
        } else {
            body = digits.prefix(exponent + 1) + "." + digits.dropFirst(exponent + 1)
        }
        return negative ? "-" + body : body
    }

    /// Splits Swift's shortest round-trip description into sign, significant digits and exponent.
    private static func shortestDigits(_ d: Double) -> (Bool, String, Int) {
        var text = "\(d)"
        var negative = false
        if text.hasPrefix("-") {
            negative = true
            text.removeFirst()
        }
        var exponent = 0
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: eIndex)...]) ?? 0
            text = String(text[..<eIndex])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var all = intPart + fracPart
        var pointPosition = intPart.count + exponent
        // Strip leading zeros, moving the point with them.
        while all.hasPrefix("0") && all.count > 1 {
            all.removeFirst()
            pointPosition -= 1
        }
        while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
        return (negative, all, pointPosition - 1)
    }
}
