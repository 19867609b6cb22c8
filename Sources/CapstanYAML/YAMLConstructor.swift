import CapstanBasics
import Collections

/// Turns `YAMLNode`s into `Value`s the way Ansible's loader (PyYAML's safe constructor) does:
/// implicit typing of plain scalars, explicit `!!` tags honoured, `<<` merge keys applied, and a
/// warning (not an error) for a key written twice, the last value winning.
public struct YAMLConstructor {
    /// Creates a constructor.
    public init() {}

    /// The typed value of a node; warnings about duplicate keys are appended to `warnings`.
    public func value(of node: YAMLNode, warnings: inout [Warning]) throws -> Value {
        switch node.kind {
        case .scalar(let text):
            return try scalar(text, node: node)
        case .sequence(let items):
            if let tag = node.tag, tag != YAMLTag.seq {
                throw InputError("unsupported tag \(tag) on a sequence; expected !!seq or none", at: node.location)
            }
            return .list(try items.map { try value(of: $0, warnings: &warnings) })
        case .mapping:
            if let tag = node.tag, tag != YAMLTag.map {
                throw InputError("unsupported tag \(tag) on a mapping; expected !!map or none", at: node.location)
            }
            return .dict(try mapping(node, warnings: &warnings))
        }
    }

    /// The typed value of a scalar node (also used for mapping keys).
    public func scalar(_ text: String, node: YAMLNode) throws -> Value {
        let tag: String
        if let explicit = node.tag {
            tag = explicit
        } else if node.style == .plain {
            tag = YAMLScalarResolver.implicitTag(text)
        } else {
            tag = YAMLTag.str
        }
        switch tag {
        case YAMLTag.str, YAMLTag.unsafe, YAMLTag.vault, YAMLTag.timestamp, YAMLTag.merge:
            return .string(text)
        case YAMLTag.value:
            throw InputError("could not determine a constructor for the tag \(tag); quote the '='", at: node.location)
        case YAMLTag.null:
            return .null
        case YAMLTag.bool:
            guard let b = YAMLScalarResolver.bool(text) else { throw badScalar(text, "a boolean", node) }
            return .bool(b)
        case YAMLTag.int:
            guard let i = YAMLScalarResolver.int(text) else { throw badScalar(text, "an integer", node) }
            return .int(i)
        case YAMLTag.float:
            guard let d = YAMLScalarResolver.float(text) else { throw badScalar(text, "a float", node) }
            return .float(d)
        default:
            throw InputError("unsupported tag \(tag); expected a core YAML tag or !unsafe", at: node.location)
        }
    }

    private func badScalar(_ text: String, _ expected: String, _ node: YAMLNode) -> InputError {
        InputError("cannot read '\(text)' as \(expected)", at: node.location)
    }

    /// A mapping's pairs with `<<` merge keys applied, each pair keeping its location (empty for a
    /// non-mapping). As PyYAML's `flatten_mapping`: merged pairs come first, so the mapping's own keys
    /// win when read in order, and in a list of merged mappings the earlier ones win.
    public func mergedPairs(of node: YAMLNode) throws -> [YAMLPair] {
        guard let pairs = node.pairs else { return [] }
        var merged: [YAMLPair] = []
        var own: [YAMLPair] = []
        for pair in pairs {
            guard isMergeKey(pair.key) else {
                own.append(pair)
                continue
            }
            switch pair.value.kind {
            case .mapping:
                merged += try mergedPairs(of: pair.value)
            case .sequence(let items):
                var groups: [[YAMLPair]] = []
                for item in items {
                    guard item.pairs != nil else {
                        throw InputError(
                            "expected a mapping for merging, but found a \(kindName(item))", at: item.location)
                    }
                    groups.append(try mergedPairs(of: item))
                }
                for group in groups.reversed() { merged += group }
            case .scalar:
                throw InputError(
                    "expected a mapping or list of mappings for merging, but found a scalar", at: pair.value.location)
            }
        }
        return merged + own
    }

    private func isMergeKey(_ key: YAMLNode) -> Bool {
        guard key.style == .plain, key.scalarText == "<<" else { return key.tag == YAMLTag.merge }
        return key.tag == nil || key.tag == YAMLTag.merge
    }

    private func kindName(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }

    private func mapping(_ node: YAMLNode, warnings: inout [Warning]) throws -> OrderedDictionary<String, Value> {
        var result = OrderedDictionary<String, Value>()
        // Python's dicts treat True, 1 and 1.0 as one key and keep the spelling written first.
        var firstSpelling: [Value: String] = [:]
        for pair in try mergedPairs(of: node) {
            let key = try keyValue(pair.key, warnings: &warnings)
            let identity = Self.pythonKeyIdentity(key)
            if let spelling = firstSpelling[identity] {
                warnings.append(
                    Warning(
                        "Found duplicate mapping key \(key.pythonRepr). Using last defined value only.",
                        at: pair.key.location))
                result[spelling] = try value(of: pair.value, warnings: &warnings)
            } else {
                let spelling = Self.keyString(key)
                firstSpelling[identity] = spelling
                result[spelling] = try value(of: pair.value, warnings: &warnings)
            }
        }
        return result
    }

    private func keyValue(_ key: YAMLNode, warnings: inout [Warning]) throws -> Value {
        if case .scalar(let text) = key.kind { return try scalar(text, node: key) }
        return try value(of: key, warnings: &warnings)
    }

    /// The key as Python's hashing sees it: booleans and integral floats compare equal to integers.
    static func pythonKeyIdentity(_ key: Value) -> Value {
        switch key {
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d) where d.rounded() == d && abs(d) < 9e18: return .int(Int(d))
        default: return key
        }
    }

    /// Mapping keys become strings the way `json.dumps` writes non-string keys.
    package static func keyString(_ key: Value) -> String {
        switch key {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let d): return PythonFloat.repr(d)
        case .list, .dict: return key.json()
        }
    }
}
