import CapstanBasics
import Collections

/// Reads keyword values from located YAML nodes into typed values, with an `InputError` at the value
/// when the type is wrong. Collects the YAML constructor's warnings (duplicate keys) as it goes.
public final class NodeReader {
    /// Warnings seen so far.
    public private(set) var warnings: [Warning] = []
    private let constructor = YAMLConstructor()

    /// A reader with no warnings yet.
    public init() {}

    /// Adds a warning.
    public func warn(_ message: String, at location: SourceLocation) {
        warnings.append(Warning(message, at: location))
    }

    /// The node as a typed value.
    public func value(_ node: YAMLNode) throws -> Value {
        try constructor.value(of: node, warnings: &warnings)
    }

    /// A mapping's pairs with keys as strings, checked against `allowed` when given. Duplicate keys
    /// keep the last value (with a warning), as PyYAML does.
    public func pairs(_ node: YAMLNode, what: String) throws -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
        guard node.pairs != nil else {
            throw InputError("\(what) must be a mapping, but found \(kindName(node))", at: node.location)
        }
        var all: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        // Where each key was last written: one pass, not a search per key (a mapping may be huge).
        var last: [String: Int] = [:]
        for pair in try constructor.mergedPairs(of: node) {
            let key = try value(pair.key)
            let name = key.stringValue ?? key.pythonString
            if last[name] != nil {
                warn(
                    "Found duplicate mapping key \(key.pythonRepr). Using last defined value only.",
                    at: pair.key.location)
            }
            last[name] = all.count
            all.append((name, pair.key, pair.value))
        }
        return all.indices.filter { last[all[$0].key] == $0 }.map { all[$0] }
    }

    /// A string keyword; scalars of other types are turned into their Python text, as Ansible does.
    public func string(_ node: YAMLNode, _ keyword: String) throws -> String {
        let v = try value(node)
        switch v {
        case .string(let s): return s
        case .int, .float, .bool: return v.pythonString
        default:
            throw InputError(
                "The field '\(keyword)' is supposed to be a string type, however the incoming data "
                    + "structure is a \(v.pythonTypeName)", at: node.location)
        }
    }

    /// A list of strings; a single string is a list of one.
    public func stringList(_ node: YAMLNode, _ keyword: String) throws -> [String] {
        if node.items == nil { return [try string(node, keyword)] }
        return try (node.items ?? []).map { try string($0, keyword) }
    }

    /// A mapping value (`args:`, `apply:`, role parameters).
    public func mapping(_ node: YAMLNode, _ keyword: String) throws -> OrderedDictionary<String, Value> {
        guard case .dict(let d) = try value(node) else {
            throw InputError("'\(keyword)' must be a mapping", at: node.location)
        }
        return d
    }

    public func kindName(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar: return "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
