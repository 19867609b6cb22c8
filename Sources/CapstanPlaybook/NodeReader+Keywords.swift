import CapstanBasics
import CapstanYAML
import Collections

/// The playbook keywords' readers: booleans, numbers and conditions that may be templates, tags and
/// `vars:`, with Ansible's messages at the value's location.
extension NodeReader {
    /// A boolean keyword, or a template for the engine to render.
    func bool(_ node: YAMLNode, _ keyword: String) throws -> Templated<Bool> {
        let v = try value(node)
        switch v {
        case .bool(let b): return .value(b)
        case .int(let i) where i == 0 || i == 1: return .value(i == 1)
        case .string(let s):
            if Self.isTemplate(s) { return .template(s) }
            if let b = Self.boolean(s) { return .value(b) }
        default: break
        }
        throw InputError("The value \(v.pythonRepr) of '\(keyword)' is not a valid boolean", at: node.location)
    }

    /// An integer keyword, or a template.
    func int(_ node: YAMLNode, _ keyword: String) throws -> Templated<Int> {
        let v = try value(node)
        switch v {
        case .int(let i): return .value(i)
        case .float(let d):
            if let i = Int(exactly: d) { return .value(i) }
        case .string(let s):
            if Self.isTemplate(s) { return .template(s) }
            if let i = Int(s.trimmingWhitespace()) { return .value(i) }
        default: break
        }
        throw InputError("The value \(v.pythonRepr) of '\(keyword)' is not a valid integer", at: node.location)
    }

    /// A number keyword, or a template.
    func double(_ node: YAMLNode, _ keyword: String) throws -> Templated<Double> {
        let v = try value(node)
        switch v {
        case .int(let i): return .value(Double(i))
        case .float(let d): return .value(d)
        case .string(let s):
            if Self.isTemplate(s) { return .template(s) }
            if let d = Double(s.trimmingWhitespace()) { return .value(d) }
        default: break
        }
        throw InputError("The value \(v.pythonRepr) of '\(keyword)' is not a valid number", at: node.location)
    }

    /// `tags:` as Ansible's `_load_tags`: a list as is, a string split on commas, nothing else.
    func tags(_ node: YAMLNode) throws -> [String] {
        switch try value(node) {
        case .string(let s):
            return s.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmingWhitespace()
            }
        case .list(let items):
            return try zip(items, node.items ?? []).map { item, itemNode in
                switch item {
                case .string(let s): return s
                case .int(let i): return String(i)
                default: throw InputError("tags must be strings or integers", at: itemNode.location)
                }
            }
        case .null: return []
        default: throw InputError("tags must be specified as a list", at: node.location)
        }
    }

    /// Conditions: a string, a boolean (`True`/`False`), a number, or a list of those.
    func conditions(_ node: YAMLNode, _ keyword: String) throws -> [Condition] {
        if let items = node.items { return try items.flatMap { try conditions($0, keyword) } }
        let v = try value(node)
        switch v {
        case .null: return []
        case .string, .bool, .int, .float: return [Condition(v.pythonString, at: node.location)]
        default:
            throw InputError(
                "'\(keyword)' must be a condition string or a list of them, not a \(v.pythonTypeName)",
                at: node.location)
        }
    }

    /// `vars:` of a play, block, task or role: a mapping with valid names (Ansible accepts nothing else).
    func vars(_ node: YAMLNode, owner: String) throws -> OrderedDictionary<String, Value> {
        let result: OrderedDictionary<String, Value>
        switch try value(node) {
        case .null: return [:]
        case .dict(let d): result = d
        default: throw InputError("Vars in a \(owner) must be specified as a dictionary.", at: node.location)
        }
        for name in result.keys where !Self.isIdentifier(name) {
            throw InputError(
                "Invalid variable name in vars specified for \(owner): '\(name)' is not a valid variable name",
                at: node.location)
        }
        return result
    }

    /// Whether `s` contains Jinja2 syntax that the engine must render.
    static func isTemplate(_ s: String) -> Bool {
        s.contains("{{") || s.contains("{%")
    }

    /// Ansible's `boolean()` on strings: yes/no, on/off, true/false, 1/0, y/n, t/f, any case.
    static func boolean(_ s: String) -> Bool? {
        switch s.lowercased().trimmingWhitespace() {
        case "yes", "on", "1", "true", "y", "t": return true
        case "no", "off", "0", "false", "n", "f": return false
        default: return nil
        }
    }

    /// A Python identifier that is not a keyword: what Ansible accepts as a variable name.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy {
            $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil
        }
    }
}
