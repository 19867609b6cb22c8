import Collections
import Foundation

/// JSON in and out, written the way Python's `json.dumps` writes it so that output compares with
/// Ansible's byte for byte where it matters (`to_json`, `ansible-inventory --list`).
extension Value {
    /// Options for `json(...)`, mirroring `json.dumps` arguments.
    public struct JSONStyle: Sendable {
        /// Spaces per nesting level; nil writes everything on one line.
        public var indent: Int?
        /// Sort mapping keys (`sort_keys=True`).
        public var sortKeys: Bool
        /// Escape non-ASCII text as `\uXXXX` (`ensure_ascii=True`, Python's default).
        public var ensureASCII: Bool

        public init(indent: Int? = nil, sortKeys: Bool = false, ensureASCII: Bool = true) {
            self.indent = indent
            self.sortKeys = sortKeys
            self.ensureASCII = ensureASCII
        }

        /// `json.dumps(v)`.
        public static let compact = JSONStyle()
        /// `json.dumps(v, indent=4, sort_keys=True)`, the shape of `to_nice_json` and `ansible-inventory --list`.
        public static let nice = JSONStyle(indent: 4, sortKeys: true)
    }

    /// Serialises the value as JSON in the given style.
    public func json(_ style: JSONStyle = .compact) -> String {
        var out = ""
        writeJSON(into: &out, style: style, level: 0)
        return out
    }

    private func writeJSON(into out: inout String, style: JSONStyle, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d):
            if d.isNaN {
                out += "NaN"
            } else if d.isInfinite {
                out += d < 0 ? "-Infinity" : "Infinity"
            } else {
                out += PythonFloat.repr(d)
            }
        case .string(let s): out += Value.jsonQuoted(s, ensureASCII: style.ensureASCII)
        case .list(let l):
            if l.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in l.enumerated() {
                if i > 0 { out += style.indent == nil ? ", " : "," }
                Value.newline(&out, style: style, level: level + 1)
                item.writeJSON(into: &out, style: style, level: level + 1)
            }
            Value.newline(&out, style: style, level: level)
            out += "]"
        case .dict(let d):
            if d.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            let keys = style.sortKeys ? d.keys.sorted() : Array(d.keys)
            for (i, key) in keys.enumerated() {
                if i > 0 { out += style.indent == nil ? ", " : "," }
                Value.newline(&out, style: style, level: level + 1)
                out += Value.jsonQuoted(key, ensureASCII: style.ensureASCII) + ": "
                d[key]!.writeJSON(into: &out, style: style, level: level + 1)
            }
            Value.newline(&out, style: style, level: level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, style: JSONStyle, level: Int) {
        guard let indent = style.indent else { return }
        out += "\n" + String(repeating: " ", count: indent * level)
    }

    /// A JSON string literal with Python's escapes.
    public static func jsonQuoted(_ s: String, ensureASCII: Bool = true) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (ensureASCII && scalar.value > 0x7e) {
                    if scalar.value > 0xFFFF {
                        let v = scalar.value - 0x10000
                        out += unicodeEscape(0xD800 + (v >> 10)) + unicodeEscape(0xDC00 + (v & 0x3FF))
                    } else {
                        out += unicodeEscape(scalar.value)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func unicodeEscape(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }
}

/// An error reading JSON text into a `Value`.
public struct JSONValueError: Error, CustomStringConvertible {
    public let description: String
}

extension Value {
    /// The deepest nesting of arrays and objects `init(jsonText:)` reads; Python's `json` gives up near
    /// 1,000 (its recursion limit), and reading and freeing a value recurse once per level.
    public static let maxJSONDepth = 512

    /// Parses JSON text. Integers stay integers, and key order is kept. Nesting deeper than
    /// `maxJSONDepth` is an error.
    public init(jsonText: String) throws {
        var scanner = JSONOrderedScanner(text: Array(jsonText.unicodeScalars))
        do {
            self = try scanner.parseDocument()
            return
        } catch is JSONOrderedScanner.TooDeep {
            throw JSONValueError(
                description: "maximum recursion depth exceeded: JSON nested more than \(Value.maxJSONDepth) levels "
                    + "deep near character \(scanner.i + 1)")
        } catch {}
        // Let Foundation explain what is wrong; our scanner only knows that something is.
        do {
            _ = try JSONSerialization.jsonObject(with: Data(jsonText.utf8), options: [.fragmentsAllowed])
        } catch {
            throw JSONValueError(description: "invalid JSON: \(error.localizedDescription)")
        }
        throw JSONValueError(description: "invalid JSON near character \(scanner.i + 1)")
    }
}

/// A strict JSON reader that keeps key order and tells integers from floats.
struct JSONOrderedScanner {
    let text: [Unicode.Scalar]
    var i = 0
    /// How many arrays and objects are open at `i`.
    var depth = 0

    init(text: [Unicode.Scalar]) { self.text = text }

    struct Failure: Error {}
    /// Nesting deeper than `Value.maxJSONDepth`.
    struct TooDeep: Error {}

    mutating func parseDocument() throws -> Value {
        let v = try parseValue()
        skipSpace()
        guard i == text.count else { throw Failure() }
        return v
    }

    mutating func skipSpace() {
        while i < text.count, [" ", "\n", "\r", "\t"].contains(text[i]) { i += 1 }
    }

    mutating func parseValue() throws -> Value {
        skipSpace()
        guard i < text.count else { throw Failure() }
        let opens = text[i] == "{" || text[i] == "["
        if opens {
            depth += 1
            guard depth <= Value.maxJSONDepth else { throw TooDeep() }
        }
        defer { if opens { depth -= 1 } }
        switch text[i] {
        case "{":
            i += 1
            var d = OrderedDictionary<String, Value>()
            skipSpace()
            if i < text.count, text[i] == "}" {
                i += 1
                return .dict(d)
            }
            while true {
                skipSpace()
                guard case .string(let key) = try parseValue() else { throw Failure() }
                skipSpace()
                guard i < text.count, text[i] == ":" else { throw Failure() }
                i += 1
                d[key] = try parseValue()
                skipSpace()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1; continue }
                if text[i] == "}" { i += 1; return .dict(d) }
                throw Failure()
            }
        case "[":
            i += 1
            var l: [Value] = []
            skipSpace()
            if i < text.count, text[i] == "]" {
                i += 1
                return .list(l)
            }
            while true {
                l.append(try parseValue())
                skipSpace()
                guard i < text.count else { throw Failure() }
                if text[i] == "," { i += 1; continue }
                if text[i] == "]" { i += 1; return .list(l) }
                throw Failure()
            }
        case "\"":
            return .string(try parseString())
        default:
            return try parseLiteral()
        }
    }

    mutating func parseString() throws -> String {
        i += 1
        var out = String.UnicodeScalarView()
        while i < text.count {
            let c = text[i]
            i += 1
            if c == "\"" { return String(out) }
            if c != "\\" {
                out.append(c)
                continue
            }
            guard i < text.count else { throw Failure() }
            let e = text[i]
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < text.count, text[i] == "\\", text[i + 1] == "u" {
                    i += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: out.append(e)
            }
        }
        throw Failure()
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= text.count, let v = UInt32(String(String.UnicodeScalarView(text[i..<i + 4])), radix: 16) else {
            throw Failure()
        }
        i += 4
        return v
    }

    mutating func parseLiteral() throws -> Value {
        let start = i
        while i < text.count, !",]} \n\r\t".unicodeScalars.contains(text[i]) { i += 1 }
        let word = String(String.UnicodeScalarView(text[start..<i]))
        switch word {
        case "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "NaN": return .float(.nan)
        case "Infinity": return .float(.infinity)
        case "-Infinity": return .float(-.infinity)
        default:
            if let n = Int(word) { return .int(n) }
            if let d = Double(word) { return .float(d) }
            throw Failure()
        }
    }
}
