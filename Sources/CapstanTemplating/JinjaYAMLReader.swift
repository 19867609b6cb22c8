import CapstanBasics
import Collections
import Yams

/// `from_yaml`: YAML text to a `Value`, keeping mapping order and YAML 1.1 scalar types as PyYAML reads them.
enum JinjaYAMLReader {
    static func value(_ text: String) throws -> Value {
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw TemplateError("from_yaml: \(error)")
        }
        guard let node else { return .null }
        return convert(node)
    }

    private static func convert(_ node: Yams.Node) -> Value {
        switch node {
        case .scalar(let s):
            if s.style != .plain { return .string(s.string) }
            return scalar(s.string)
        case .sequence(let seq): return .list(seq.map(convert))
        case .mapping(let map):
            var d = OrderedDictionary<String, Value>()
            for (k, v) in map {
                let key = convert(k)
                d[key.stringValue ?? key.pythonString] = convert(v)
            }
            return .dict(d)
        case .alias: return .null
        }
    }

    /// Plain scalars resolved as PyYAML's YAML 1.1 resolver does for the common cases.
    static func scalar(_ s: String) -> Value {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        let cleaned = s.replacingOccurrences(of: "_", with: "")
        if let i = Int(cleaned), cleaned.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) ?? false,
            !(cleaned.count > 1 && cleaned.hasPrefix("0"))
        {
            return .int(i)
        }
        if cleaned.hasPrefix("0x"), let i = Int(cleaned.dropFirst(2), radix: 16) { return .int(i) }
        if cleaned.count > 1, cleaned.hasPrefix("0"), cleaned.allSatisfy({ ("0"..."7").contains($0) }),
            let i = Int(cleaned, radix: 8)
        {
            return .int(i)
        }
        if cleaned.contains("."), cleaned.allSatisfy({ "0123456789.eE+-".contains($0) }), let d = Double(cleaned) {
            return .float(d)
        }
        switch s.lowercased() {
        case ".inf", "+.inf": return .float(.infinity)
        case "-.inf": return .float(-.infinity)
        case ".nan": return .float(.nan)
        default: return .string(s)
        }
    }
}
