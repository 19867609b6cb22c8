import CapstanBasics
import Foundation

/// The tokens inside `{{ }}` and `{% %}`: names, literals and operators, up to the closing delimiter.
extension JinjaLexer {
    private static let twoByteOperators: Set<String> = ["//", "**", "==", "!=", ">=", "<="]
    private static let oneByteOperators = Set("+-*/%~<>=()[]{},.:|;".utf8)

    /// The operator starting at `i`, longest first.
    private func operatorAt(_ i: Int) -> String? {
        if let second = byte(i + 1) {
            let pair = String(decoding: [bytes[i], second], as: UTF8.self)
            if JinjaLexer.twoByteOperators.contains(pair) { return pair }
        }
        return JinjaLexer.oneByteOperators.contains(bytes[i]) ? String(decoding: [bytes[i]], as: UTF8.self) : nil
    }

    /// Lexes the next token inside the open tag: an expression token, or the closing delimiter at bracket
    /// depth zero, which ends the tag.
    mutating func lexInsideStep(_ tag: Inside) throws {
        while i < bytes.count, JinjaLexer.isSpace(bytes[i]) { advance(1) }
        guard i < bytes.count else {
            let what = tag.endKind == .variableEnd ? "print statement" : "block statement"
            throw error("unexpected end of template, expected end of \(what)", line: tag.line, column: tag.column)
        }
        let b = bytes[i]
        let tokLine = line
        let tokColumn = column
        if depth.isEmpty, let closing = closeTag(close: tag.close) {
            tokens.append(JinjaToken(kind: tag.endKind, line: tokLine, column: tokColumn))
            inside = nil
            closed(closing, kind: tag.close == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "%"))
            return
        }
        if b == UInt8(ascii: "_") || JinjaLexer.isLetter(b) {
            var k = i
            while let c = byte(k),
                c == UInt8(ascii: "_") || JinjaLexer.isLetter(c) || JinjaLexer.isDigit(c) || c >= 0x80
            { k += 1 }
            tokens.append(
                JinjaToken(kind: .name(String(decoding: bytes[i..<k], as: UTF8.self)), line: tokLine, column: tokColumn)
            )
            advance(k - i)
        } else if JinjaLexer.isDigit(b) {
            try lexNumber(line: tokLine, column: tokColumn)
        } else if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
            let raw = options.escapesBackslashes && tag.endKind == .variableEnd
            try lexString(quote: b, raw: raw, line: tokLine, column: tokColumn)
        } else if let op = operatorAt(i) {
            switch op {
            case "(", "[", "{": depth.append(b)
            case ")", "]", "}":
                let open: UInt8 = op == ")" ? UInt8(ascii: "(") : op == "]" ? UInt8(ascii: "[") : UInt8(ascii: "{")
                guard depth.last == open else { throw error("unexpected '\(op)'") }
                depth.removeLast()
            default: break
            }
            tokens.append(JinjaToken(kind: .op(op), line: tokLine, column: tokColumn))
            advance(op.utf8.count)
        } else {
            throw error("unexpected char \(PythonString.repr(String(decoding: [b], as: UTF8.self))) at \(i)")
        }
    }

    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func lexNumber(line l: Int, column c: Int) throws {
        var k = i
        var isFloat = false
        if bytes[i] == UInt8(ascii: "0"), let p = byte(i + 1),
            let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][p | 0x20]
        {
            k = i + 2
            while let d = byte(k), JinjaLexer.isLetter(d) || JinjaLexer.isDigit(d) || d == UInt8(ascii: "_") { k += 1 }
            let digits = String(decoding: bytes[i + 2..<k], as: UTF8.self).replacingOccurrences(of: "_", with: "")
            guard let n = Int(digits, radix: radix) else { throw error("invalid number literal", line: l, column: c) }
            tokens.append(JinjaToken(kind: .integer(n), line: l, column: c))
            advance(k - i)
            return
        }
        while let d = byte(k), JinjaLexer.isDigit(d) || d == UInt8(ascii: "_") { k += 1 }
        // After a dot (`a.1.2`) numbers are item indices, never fractions, as in Jinja2's lexer.
        let afterDot = i > 0 && bytes[i - 1] == UInt8(ascii: ".")
        if !afterDot, byte(k) == UInt8(ascii: "."), let d = byte(k + 1), JinjaLexer.isDigit(d) {
            isFloat = true
            k += 1
            while let d = byte(k), JinjaLexer.isDigit(d) || d == UInt8(ascii: "_") { k += 1 }
        }
        if let e = byte(k), e | 0x20 == UInt8(ascii: "e") {
            var m = k + 1
            if byte(m) == UInt8(ascii: "+") || byte(m) == UInt8(ascii: "-") { m += 1 }
            if let d = byte(m), JinjaLexer.isDigit(d) {
                isFloat = true
                k = m
                while let d = byte(k), JinjaLexer.isDigit(d) { k += 1 }
            }
        }
        let text = String(decoding: bytes[i..<k], as: UTF8.self).replacingOccurrences(of: "_", with: "")
        if isFloat {
            guard let d = Double(text) else { throw error("invalid number \(text)", line: l, column: c) }
            tokens.append(JinjaToken(kind: .float(d), line: l, column: c))
        } else {
            guard let n = Int(text) else { throw error("integer \(text) is too large", line: l, column: c) }
            tokens.append(JinjaToken(kind: .integer(n), line: l, column: c))
        }
        advance(k - i)
    }

    /// A quoted string with Python's backslash escapes; `raw` keeps every backslash and the character after
    /// it as written (Ansible's `escape_backslashes` doubles them before Jinja decodes the escapes).
    private mutating func lexString(quote: UInt8, raw: Bool, line l: Int, column c: Int) throws {
        var k = i + 1
        var out: [UInt8] = []
        while let b = byte(k) {
            if b == quote {
                tokens.append(JinjaToken(kind: .string(String(decoding: out, as: UTF8.self)), line: l, column: c))
                advance(k + 1 - i)
                return
            }
            if b == UInt8(ascii: "\\"), let e = byte(k + 1), raw {
                out.append(contentsOf: [b, e])
                k += 2
                continue
            }
            if b == UInt8(ascii: "\\"), let e = byte(k + 1) {
                k += 2
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "a"): out.append(7)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "v"): out.append(11)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var code = UInt32(e - UInt8(ascii: "0"))
                    var digits = 1
                    while digits < 3, let d = byte(k), d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") {
                        code = code * 8 + UInt32(d - UInt8(ascii: "0"))
                        k += 1
                        digits += 1
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "?")).utf8))
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let width = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                    guard k + width <= bytes.count,
                        let code = UInt32(String(decoding: bytes[k..<k + width], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("invalid escape in string", line: l, column: c) }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    k += width
                case 10: break
                default: out.append(contentsOf: [UInt8(ascii: "\\"), e])
                }
                continue
            }
            out.append(b)
            k += 1
        }
        throw error("unexpected end of string", line: l, column: c)
    }
}
