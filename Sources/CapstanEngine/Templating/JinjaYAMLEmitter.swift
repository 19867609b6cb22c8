/// `to_yaml` and `to_nice_yaml`: YAML text shaped the way PyYAML's `yaml.dump` writes it (keys sorted,
/// sequences inside mappings not indented, flow style for leaf collections when asked, quoting only
/// where a plain scalar would read back differently).
enum JinjaYAMLEmitter {
    enum FlowStyle {
        /// `default_flow_style=None`: collections holding only scalars in flow style.
        case leaves
        /// `default_flow_style=True`.
        case always
        /// `default_flow_style=False`.
        case never
    }

    static func dump(_ value: Value, indent: Int, flowStyle: FlowStyle) -> String {
        var out = ""
        if isScalar(value) || useFlow(value, flowStyle) {
            return flow(value) + "\n"
        }
        block(value, indent: indent, level: 0, flowStyle: flowStyle, into: &out)
        return out
    }

    private static func isScalar(_ v: Value) -> Bool {
        switch v {
        case .list, .dict: return false
        default: return true
        }
    }

    private static func isEmpty(_ v: Value) -> Bool {
        switch v {
        case .list(let l): return l.isEmpty
        case .dict(let d): return d.isEmpty
        default: return false
        }
    }

    private static func useFlow(_ v: Value, _ style: FlowStyle) -> Bool {
        if isEmpty(v) { return true }
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

    private static func sortedPairs(_ d: [String: Value]) -> [(String, Value)] { d.sorted { $0.key < $1.key } }

    private static func block(_ v: Value, indent: Int, level: Int, flowStyle: FlowStyle, into out: inout String) {
        let pad = String(repeating: " ", count: level)
        switch v {
        case .dict(let d):
            for (k, item) in d.sorted(by: { $0.key < $1.key }) {
                out += pad + scalar(.string(k)) + ":"
                if isScalar(item) || useFlow(item, flowStyle) {
                    out += " " + flow(item) + "\n"
                } else if case .list = item {
                    out += "\n"
                    block(item, indent: indent, level: level, flowStyle: flowStyle, into: &out)
                } else {
                    out += "\n"
                    block(item, indent: indent, level: level + indent, flowStyle: flowStyle, into: &out)
                }
            }
        case .list(let l):
            for item in l {
                if isScalar(item) || useFlow(item, flowStyle) {
                    out += pad + "- " + flow(item) + "\n"
                } else {
                    out += pad + "-" + String(repeating: " ", count: indent - 1)
                    var inner = ""
                    block(item, indent: indent, level: level + indent, flowStyle: flowStyle, into: &inner)
                    out += String(inner.dropFirst(level + indent))
                }
            }
        default:
            out += pad + flow(v) + "\n"
        }
    }

    private static func flow(_ v: Value) -> String {
        switch v {
        case .list(let l): return "[" + l.map(flow).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.sorted(by: { $0.key < $1.key }).map { scalar(.string($0.key)) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        default: return scalar(v)
        }
    }

    static func scalar(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            let r = PythonFloat.repr(d)
            return r.contains("e") && !r.contains(".") ? r.replacingOccurrences(of: "e", with: ".0e") : r
        case .string(let s): return quoted(s)
        default: return flow(v)
        }
    }

    private static func quoted(_ s: String) -> String {
        if s.isEmpty { return "''" }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7f }) || s.contains("\t") {
            return Value.jsonQuoted(s, ensureASCII: false)
        }
        if needsQuotes(s) { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        return s
    }

    private static func needsQuotes(_ s: String) -> Bool {
        if JinjaYAMLReader.scalar(s) != .string(s) { return true }
        if ["=", "<<"].contains(s) { return true }
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return true }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            if "-?:".unicodeScalars.contains(first), s.unicodeScalars.count > 1,
                !JinjaPyStr.isSpace(s.unicodeScalars[s.unicodeScalars.index(after: s.unicodeScalars.startIndex)]) {
                return first == ":" ? false : false
            }
            return true
        }
        if JinjaPyStr.isSpace(first) || JinjaPyStr.isSpace(last) { return true }
        if s.contains(": ") || s.contains(" #") || s.hasSuffix(":") { return true }
        return false
    }
}
