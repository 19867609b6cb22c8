import CapstanBasics

/// The bounds every YAML document is read within, so that no input can exhaust the stack or memory.
///
/// libyaml already refuses more than 1000 levels of written nesting, but aliases nest and multiply
/// without writing more: `&a [x, x]`, `&b [*a, *a]`, ... doubles the document with every line (the
/// "billion laughs" attack). A safe loader bounds what aliases stand for, as go-yaml and SnakeYAML do.
public enum YAMLLimits {
    /// Deepest nesting of collections, aliases expanded; libyaml's own bound for written nesting.
    public static let maximumDepth = 1000
    /// Most nodes the aliases of one document may stand for in total (each alias counts its target's
    /// whole subtree): `<<: *defaults` of 20 nodes on 12,500 hosts, but no alias bomb. Values are
    /// built as copies, and a YAML inventory types its groups more than once, so a million nodes
    /// already took 20 s in a debug build.
    public static let maximumAliasedNodes = 250_000

    /// The shape a node adds where it appears: collection levels (0 for a scalar) and node count.
    struct Extent {
        var height: Int
        var size: Int

        /// Grows a collection's extent by one child's.
        mutating func include(_ child: Extent) {
            height = max(height, child.height + 1)
            size += child.size
        }
    }

    /// Counts an alias of a node with `extent` found `depth` collections deep, or refuses it.
    static func checkAlias(_ extent: Extent, depth: Int, expanded: inout Int, at location: SourceLocation) throws {
        guard depth + extent.height <= maximumDepth else { throw tooDeep(at: location) }
        expanded += extent.size
        guard expanded <= maximumAliasedNodes else {
            throw InputError(
                "the aliases of this document stand for more than \(maximumAliasedNodes) nodes; expected aliases "
                    + "that expand to fewer (is this an alias bomb?)", at: location)
        }
    }

    static func tooDeep(at location: SourceLocation) -> InputError {
        InputError(
            "YAML collections nest deeper than \(maximumDepth) levels (aliases expanded); expected shallower data",
            at: location)
    }
}
