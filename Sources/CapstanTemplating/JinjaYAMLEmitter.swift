import CapstanBasics

/// `to_yaml` and `to_nice_yaml`: YAML text shaped the way PyYAML's `yaml.dump` writes it (keys sorted,
/// sequences inside mappings not indented, flow style for leaf collections when asked, flow collections
/// wrapped after 80 columns, quoting only where a plain scalar would read back differently).
/// Multi-line strings are written double-quoted, where PyYAML folds them single-quoted.
enum JinjaYAMLEmitter {
    enum FlowStyle {
        /// `default_flow_style=None`: collections holding only scalars in flow style.
        case leaves
        /// `default_flow_style=True`.
        case always
        /// `default_flow_style=False`.
        case never
    }

    /// Output with the current column, for PyYAML's line wrapping.
    private struct Writer {
        var out = ""
        var column = 0
        mutating func write(_ s: String) {
            out += s
            if let newline = s.lastIndex(of: "\n") {
                column = s[s.index(after: newline)...].count
            } else {
                column += s.count
            }
        }
    }

    private static let width = 80

    static func dump(_ value: Value, indent requested: Int, flowStyle: FlowStyle) -> String {
        // PyYAML falls back to 2 for indents outside 2...9.
        let indent = (2...9).contains(requested) ? requested : 2
        var w = Writer()
        if isScalar(value) || useFlow(value, flowStyle) {
            flow(value, indent: indent, into: &w)
            w.write("\n")
        } else {
            block(value, indent: indent, level: 0, flowStyle: flowStyle, into: &w)
        }
        return w.out
    }

    private static func isScalar(_ v: Value) -> Bool {
        switch v {
        case .list, .dict: return false
        default: return true
        }
    }

    private static func useFlow(_ v: Value, _ style: FlowStyle) -> Bool {
        switch v {
        case .list(let l) where l.isEmpty: return true
        case .dict(let d) where d.isEmpty: return true
        default: break
        }
        switch style {
        case .always: return true
        case .never: return false
        case .leaves:
            switch v {
            case .list(let l): return l.allSatisfy(isScalar)
            case .dict(let d): return d.values.allSatisfy(isScalar)
            default: return true
            }
        }
    }

    private static func block(_ v: Value, indent: Int, level: Int, flowStyle: FlowStyle, into w: inout Writer) {
        let pad = String(repeating: " ", count: level)
        switch v {
        case .dict(let d):
            for (k, item) in d.sorted(by: { $0.key < $1.key }) {
                if w.column == 0 { w.write(pad) }
                w.write(scalar(.string(k), inFlow: false) + ":")
                if isScalar(item) || useFlow(item, flowStyle) {
                    w.write(" ")
                    flow(item, indent: level + indent, into: &w)
                    w.write("\n")
                } else if case .list = item {
                    w.write("\n")
                    block(item, indent: indent, level: level, flowStyle: flowStyle, into: &w)
                } else {
                    w.write("\n")
                    block(item, indent: indent, level: level + indent, flowStyle: flowStyle, into: &w)
                }
            }
        case .list(let l):
            for item in l {
                if w.column == 0 { w.write(pad) }
                if isScalar(item) || useFlow(item, flowStyle) {
                    w.write("- ")
                    flow(item, indent: level + indent, into: &w)
                    w.write("\n")
                } else {
                    w.write("-" + String(repeating: " ", count: indent - 1))
                    block(item, indent: indent, level: level + indent, flowStyle: flowStyle, into: &w)
                }
            }
        default:
            w.write(pad)
            flow(v, indent: level + indent, into: &w)
            w.write("\n")
        }
    }

    /// Flow style, breaking the line after a comma once past the width, as PyYAML's emitter does.
    private static func flow(_ v: Value, indent: Int, into w: inout Writer) {
        func separator(_ first: Bool) {
            guard !first else { return }
            w.write(",")
            if w.column > width { w.write("\n" + String(repeating: " ", count: indent)) } else { w.write(" ") }
        }
        switch v {
        case .list(let l):
            w.write("[")
            for (i, item) in l.enumerated() {
                separator(i == 0)
                flow(item, indent: indent + 2, into: &w)
            }
            w.write("]")
        case .dict(let d):
            w.write("{")
            for (i, pair) in d.sorted(by: { $0.key < $1.key }).enumerated() {
                separator(i == 0)
                w.write(scalar(.string(pair.key), inFlow: true) + ": ")
                flow(pair.value, indent: indent + 2, into: &w)
            }
            w.write("}")
        default:
            w.write(scalar(v, inFlow: true))
        }
    }

    static func scalar(_ v: Value, inFlow: Bool) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            let r = PythonFloat.repr(d)
            return r.contains("e") && !r.contains(".") ? r.replacingOccurrences(of: "e", with: ".0e") : r
        case .string(let s): return quoted(s, inFlow: inFlow)
        default: return v.pythonRepr
        }
    }

    private static func quoted(_ s: String, inFlow: Bool) -> String {
        if s.isEmpty { return "''" }
        if s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }) || s.contains("\t")
        {
            return Value.jsonQuoted(s, ensureASCII: false)
        }
        if needsQuotes(s, inFlow: inFlow) { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        return s
    }

    /// PyYAML's `analyze_scalar`, for the indicators that matter on one line.
    private static func needsQuotes(_ s: String, inFlow: Bool) -> Bool {
        if JinjaYAMLReader.scalar(s) != .string(s) || s == "=" || s == "<<" { return true }
        let chars = Array(s.unicodeScalars)
        guard let first = chars.first, let last = chars.last else { return true }
        if JinjaPyStr.isSpace(first) || JinjaPyStr.isSpace(last) { return true }
        let followedBySpace: (Int) -> Bool = { i in i + 1 >= chars.count || JinjaPyStr.isSpace(chars[i + 1]) }
        for (i, c) in chars.enumerated() {
            if i == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(c) { return true }
                if c == "?" || c == ":" {
                    if inFlow || followedBySpace(0) { return true }
                }
                if c == "-", followedBySpace(0) { return true }
            } else {
                if ",?[]{}".unicodeScalars.contains(c), inFlow { return true }
                if c == ":" {
                    if inFlow || followedBySpace(i) { return true }
                }
                if c == "#", JinjaPyStr.isSpace(chars[i - 1]) { return true }
            }
        }
        return false
    }
}
