import CapstanBasics
import CapstanYAML
import Collections

/// Reads INI inventory values the way Ansible's INI plugin does: Python's `ast.literal_eval`, and the
/// text itself when that fails. So `1` is an int, `True` a bool, `[1, 2]` a list, `'x'` the string x,
/// but `yes`, `0755` (a syntax error in Python 3) and `foo # c` stay strings.
enum PythonLiteral {
    /// The typed value of an inventory value string.
    static func inventoryValue(_ text: String) -> Value {
        if let quick = quickValue(text) { return quick }
        var trimmed = Substring(text)
        while let f = trimmed.first, f == " " || f == "\t" { trimmed.removeFirst() }
        var parser = Parser(Array(trimmed.unicodeScalars))
        if let v = try? parser.parseExpressionList(), parser.atEnd() { return v }
        return .string(text)
    }

    struct Failure: Error {}

    /// Most inventory values are plain words or decimal numbers; those skip the full parser.
    private static func quickValue(_ text: String) -> Value? {
        let u = text.utf8
        guard let first = u.first else { return .string("") }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        if u.allSatisfy(isDigit) {
            if u.count > 1, first == 0x30 { return u.allSatisfy { $0 == 0x30 } ? .int(0) : .string(text) }
            return Int(text).map(Value.int)
        }
        // Dotted quads and versions like 1.2.3: two dots can never be a Python number.
        if isDigit(first), u.allSatisfy({ isDigit($0) || $0 == 0x2E }), u.filter({ $0 == 0x2E }).count >= 2 {
            return .string(text)
        }
        let isLetter: (UInt8) -> Bool = { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        // Letters first and only word-ish characters after: a Python name or something invalid, never a literal.
        guard isLetter(first), u.allSatisfy({ isLetter($0) || isDigit($0) || "_.-/:@".utf8.contains($0) }) else {
            return nil
        }
        switch text {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: return .string(text)
        }
    }

    /// Python's tokenizer refuses more open brackets than this (`MAXLEVEL`, "too many nested
    /// parentheses"), so Ansible keeps such a value as a string; the bound also keeps our stack safe.
    static let maximumNesting = 200

    /// A recursive-descent reader for the literal subset of Python's expression grammar.
    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        /// Brackets open around the current position.
        var nesting = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }

        /// Skips blanks; inside brackets newlines too. A `#` comment runs to the end of the line.
        mutating func skip(newlines: Bool = false) {
            while let c = peek {
                if c == " " || c == "\t" || c == "\u{0C}" || (newlines && (c == "\n" || c == "\r")) {
                    i += 1
                } else if c == "\\", i + 1 < s.count, s[i + 1] == "\n" {
                    i += 2
                } else if c == "#" {
                    while let d = peek, d != "\n" { i += 1 }
                } else {
                    return
                }
            }
        }

        mutating func atEnd() -> Bool {
            skip(newlines: true)
            return i == s.count
        }

        /// `expr` or `expr, expr, ...` (a tuple, which Ansible turns into a list).
        mutating func parseExpressionList(nested: Bool = false) throws -> Value {
            let first = try parseExpression(nested: nested)
            skip(newlines: nested)
            guard peek == "," else { return first }
            var items = [first]
            while peek == "," {
                i += 1
                skip(newlines: nested)
                if peek == nil || peek == ")" { break }
                items.append(try parseExpression(nested: nested))
                skip(newlines: nested)
            }
            return .list(items)
        }

        /// Consumes an opening bracket; the matching close must call `nesting -= 1`.
        mutating func open() throws {
            nesting += 1
            guard nesting <= PythonLiteral.maximumNesting else { throw Failure() }
            i += 1
        }

        mutating func parseExpression(nested: Bool) throws -> Value {
            skip(newlines: nested)
            guard let c = peek else { throw Failure() }
            switch c {
            case "[": return .list(try parseSequence(close: "]"))
            case "(":
                try open()
                defer { nesting -= 1 }
                skip(newlines: true)
                if peek == ")" {
                    i += 1
                    return .list([])
                }
                let inner = try parseExpressionList(nested: true)
                skip(newlines: true)
                guard peek == ")" else { throw Failure() }
                i += 1
                return inner
            case "{": return try parseBraces()
            case "+", "-":
                i += 1
                skip(newlines: nested)
                guard let n = try parseNumber() else { throw Failure() }
                if c == "+" { return n }
                switch n {
                case .int(let v): return .int(-v)
                case .float(let v): return .float(-v)
                default: throw Failure()
                }
            case "'", "\"": return .string(try parseStrings())
            case ".":
                if i + 2 < s.count, s[i + 1] == ".", s[i + 2] == "." {
                    i += 3
                    return .string("...")
                }
                guard let n = try parseNumber() else { throw Failure() }
                return n
            default:
                if let n = try parseNumber() { return n }
                return try parseWordOrPrefixedString()
            }
        }

        mutating func parseSequence(close: Unicode.Scalar) throws -> [Value] {
            try open()
            defer { nesting -= 1 }
            var items: [Value] = []
            skip(newlines: true)
            while peek != close {
                items.append(try parseExpression(nested: true))
                skip(newlines: true)
                if peek == "," {
                    i += 1
                    skip(newlines: true)
                } else if peek != close {
                    throw Failure()
                }
            }
            i += 1
            return items
        }

        /// `{}` (dict), `{k: v, ...}` (dict) or `{a, b}` (set, kept in written order).
        mutating func parseBraces() throws -> Value {
            try open()
            defer { nesting -= 1 }
            skip(newlines: true)
            var dict = OrderedDictionary<String, Value>()
            var set: [Value] = []
            var inSet = Set<Value>()
            var isSet: Bool?
            while peek != "}" {
                let key = try parseExpression(nested: true)
                skip(newlines: true)
                if peek == ":" {
                    guard isSet != true else { throw Failure() }
                    isSet = false
                    i += 1
                    let value = try parseExpression(nested: true)
                    if case .list = key { throw Failure() }
                    if case .dict = key { throw Failure() }
                    dict[YAMLConstructor.keyString(key)] = value
                } else {
                    guard isSet != false else { throw Failure() }
                    isSet = true
                    if inSet.insert(key).inserted { set.append(key) }
                }
                skip(newlines: true)
                if peek == "," {
                    i += 1
                    skip(newlines: true)
                } else if peek != "}" {
                    throw Failure()
                }
            }
            i += 1
            return isSet == true ? .list(set) : .dict(dict)
        }

        /// One or more adjacent string literals, concatenated as Python does.
        mutating func parseStrings(prefix: String = "") throws -> String {
            var out = try parseOneString(raw: prefix.lowercased().contains("r"))
            while true {
                let save = i
                skip()
                if let c = peek, c == "'" || c == "\"" {
                    out += try parseOneString(raw: false)
                } else if let p = stringPrefixAhead() {
                    i += p.count
                    out += try parseOneString(raw: p.lowercased().contains("r"))
                } else {
                    i = save
                    return out
                }
            }
        }

        /// A string prefix (`r`, `b`, `u`, `rb`, ...) directly followed by a quote, if one starts here.
        func stringPrefixAhead() -> String? {
            for length in [2, 1] where i + length < s.count {
                let p = String(String.UnicodeScalarView(s[i..<i + length])).lowercased()
                let ok = length == 1 ? ["r", "b", "u"].contains(p) : ["rb", "br"].contains(p)
                if ok, s[i + length] == "'" || s[i + length] == "\"" {
                    return String(String.UnicodeScalarView(s[i..<i + length]))
                }
            }
            return nil
        }

        mutating func parseWordOrPrefixedString() throws -> Value {
            if let p = stringPrefixAhead() {
                i += p.count
                return .string(try parseStrings(prefix: p))
            }
            let start = i
            while let c = peek, c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) { i += 1 }
            switch String(String.UnicodeScalarView(s[start..<i])) {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .null
            default: throw Failure()
            }
        }

        mutating func parseOneString(raw: Bool) throws -> String {
            guard let q = peek else { throw Failure() }
            let triple = i + 2 < s.count && s[i + 1] == q && s[i + 2] == q
            i += triple ? 3 : 1
            var out = String.UnicodeScalarView()
            while i < s.count {
                let c = s[i]
                if c == q, !triple || (i + 2 < s.count && s[i + 1] == q && s[i + 2] == q) {
                    i += triple ? 3 : 1
                    return String(out)
                }
                if c == "\n", !triple { throw Failure() }
                if c == "\\", i + 1 < s.count {
                    if raw {
                        out.append(c)
                        out.append(s[i + 1])
                        i += 2
                        continue
                    }
                    i += 1
                    try appendEscape(to: &out)
                    continue
                }
                out.append(c)
                i += 1
            }
            throw Failure()
        }

        mutating func appendEscape(to out: inout String.UnicodeScalarView) throws {
            let e = s[i]
            i += 1
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}",
                "f": "\u{0C}", "v": "\u{0B}",
            ]
            if let m = simple[e] {
                out.append(m)
            } else if e == "\n" {
                return
            } else if ("0"..."7").contains(e) {
                var digits = String(e)
                while digits.count < 3, let d = peek, ("0"..."7").contains(d) {
                    digits.unicodeScalars.append(d)
                    i += 1
                }
                out.append(Unicode.Scalar(UInt32(digits, radix: 8)!) ?? "\u{FFFD}")
            } else if e == "x" || e == "u" || e == "U" {
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                guard i + width <= s.count,
                    let v = UInt32(String(String.UnicodeScalarView(s[i..<i + width])), radix: 16),
                    let scalar = Unicode.Scalar(v)
                else { throw Failure() }
                i += width
                out.append(scalar)
            } else {
                // Python keeps unknown escapes as written (with a SyntaxWarning Ansible silences).
                out.append("\\")
                out.append(e)
            }
        }

        /// A Python int or float literal starting here, or nil when there is none.
        mutating func parseNumber() throws -> Value? {
            let start = i
            while let c = peek,
                c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "."
                    || ((c == "+" || c == "-") && i > start && (s[i - 1] == "e" || s[i - 1] == "E")
                        && !String(String.UnicodeScalarView(s[start..<i])).lowercased().hasPrefix("0x"))
            {
                i += 1
            }
            let word = String(String.UnicodeScalarView(s[start..<i]))
            guard let first = word.unicodeScalars.first, ("0"..."9").contains(first) || first == "." else {
                i = start
                return nil
            }
            if let v = PythonNumber.parse(word) { return v }
            throw Failure()
        }
    }
}
