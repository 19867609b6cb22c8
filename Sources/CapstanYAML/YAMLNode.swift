import CapstanBasics

/// One node of a YAML document as written, before any typing: every node keeps where it came from, so
/// that later layers (inventory, playbooks) can point at the exact line and column of a bad value.
///
/// Aliases are already replaced by a copy of the node they name. Scalars keep their text, their style
/// and any explicit tag; `YAMLConstructor` turns a node into a `Value` the way PyYAML's safe loader does.
public struct YAMLNode: Sendable {
    /// What kind of node this is, with its content.
    public enum Kind: Sendable {
        /// A scalar's text, exactly as the parser delivered it (escapes and folding already applied).
        case scalar(String)
        /// A sequence's items in order.
        case sequence([YAMLNode])
        /// A mapping's pairs in the order written, duplicates included.
        case mapping([YAMLPair])
    }

    /// How a scalar was written; only plain scalars are typed implicitly.
    public enum Style: Sendable, Equatable {
        /// Written without quotes: typed by the YAML 1.1 resolver.
        case plain
        /// Single- or double-quoted: always a string.
        case quoted
        /// A `|` or `>` block: always a string.
        case block
        /// Sequences and mappings.
        case collection
    }

    /// The node's content.
    public var kind: Kind
    /// How the node was written.
    public var style: Style
    /// The explicit tag in full form (`tag:yaml.org,2002:str`, `!unsafe`), or nil when none was written.
    public var tag: String?
    /// Where the node starts in the input.
    public var location: SourceLocation

    /// Creates a node; mostly used by the composer and by tests.
    public init(_ kind: Kind, style: Style, tag: String? = nil, location: SourceLocation) {
        self.kind = kind
        self.style = style
        self.tag = tag
        self.location = location
    }

    /// The scalar text, or nil for a collection.
    public var scalarText: String? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    /// The pairs of a mapping, or nil for any other kind.
    public var pairs: [YAMLPair]? {
        if case .mapping(let p) = kind { return p }
        return nil
    }

    /// The items of a sequence, or nil for any other kind.
    public var items: [YAMLNode]? {
        if case .sequence(let i) = kind { return i }
        return nil
    }
}

/// A key and its value inside a YAML mapping.
public struct YAMLPair: Sendable {
    /// The key node (usually a scalar).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// Full tag names of the YAML 1.1 core schema that the loader understands.
enum YAMLTag {
    static let str = "tag:yaml.org,2002:str"
    static let int = "tag:yaml.org,2002:int"
    static let float = "tag:yaml.org,2002:float"
    static let bool = "tag:yaml.org,2002:bool"
    static let null = "tag:yaml.org,2002:null"
    static let seq = "tag:yaml.org,2002:seq"
    static let map = "tag:yaml.org,2002:map"
    static let merge = "tag:yaml.org,2002:merge"
    static let timestamp = "tag:yaml.org,2002:timestamp"
    static let value = "tag:yaml.org,2002:value"
    /// Ansible's marker for strings that must never be templated; for a loader it is just a string.
    static let unsafe = "!unsafe"
    /// Ansible Vault ciphertext, kept as its text.
    static let vault = "!vault"
}

extension YAMLNode {
    /// The node typed as Ansible's loader types it (see `YAMLConstructor`).
    public func value(warnings: inout [Warning]) throws -> Value {
        try YAMLConstructor().value(of: self, warnings: &warnings)
    }
}
