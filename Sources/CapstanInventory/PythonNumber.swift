import CapstanBasics

/// Python 3's numeric literal syntax (PEP 515 underscores, `0x`/`0o`/`0b`, no leading-zero octal).
enum PythonNumber {
    /// The value of a literal, or nil when Python would reject it.
    static func parse(_ word: String) -> Value? {
        let lower = word.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            let body = String(lower.dropFirst(2))
            let digits = body.hasPrefix("_") ? String(body.dropFirst()) : body
            guard validUnderscores(digits), let v = Int(digits.replacingUnderscores(), radix: radix) else { return nil }
            return .int(v)
        }
        if lower.hasSuffix("j") { return nil }
        let isFloat = lower.contains(".") || lower.contains("e")
        if !isFloat {
            guard validUnderscores(lower), lower.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else {
                return nil
            }
            let digits = lower.replacingUnderscores()
            // `0755` is a syntax error in Python 3; only zeros may lead.
            if digits.count > 1, digits.hasPrefix("0"), digits.contains(where: { $0 != "0" }) { return nil }
            return Int(digits).map(Value.int)
        }
        var mantissa = lower
        var exponent = ""
        if let e = lower.firstIndex(of: "e") {
            mantissa = String(lower[..<e])
            exponent = String(lower[lower.index(after: e)...])
            let unsigned = exponent.hasPrefix("+") || exponent.hasPrefix("-") ? String(exponent.dropFirst()) : exponent
            guard !unsigned.isEmpty, validUnderscores(unsigned), unsigned.allSatisfy({ $0.isNumber || $0 == "_" })
            else {
                return nil
            }
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ validUnderscores(String($0)) }),
            parts.contains(where: { !$0.isEmpty }),
            mantissa.allSatisfy({ $0.isNumber || $0 == "_" || $0 == "." })
        else { return nil }
        var text = mantissa.replacingUnderscores()
        if text.hasPrefix(".") { text = "0" + text }
        if text.hasSuffix(".") { text += "0" }
        if !exponent.isEmpty { text += "e" + exponent.replacingUnderscores() }
        return Double(text).map(Value.float)
    }

    /// Underscores only between digits, one at a time.
    private static func validUnderscores(_ s: String) -> Bool {
        !s.hasPrefix("_") && !s.hasSuffix("_") && !s.contains("__")
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
