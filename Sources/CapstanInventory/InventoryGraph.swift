import CapstanBasics
import Collections

/// A group as the inventory holds it: its own hosts, its child groups, its own variables.
public struct InventoryGroup: Sendable, Equatable {
    /// The group's name.
    public let name: String
    /// Hosts listed directly in this group, in the order first seen.
    public internal(set) var hosts: [String] = []
    /// Child groups in the order they were added.
    public internal(set) var children: [String] = []
    /// Parent groups in the order they were added.
    public internal(set) var parents: [String] = []
    /// Variables set on the group by inventory sources (not group_vars files).
    public internal(set) var variables: OrderedDictionary<String, Value> = [:]
    /// Distance from `all`, as Ansible counts it (a child is deeper than every parent).
    public internal(set) var depth = 0
    /// `ansible_group_priority`, 1 by default; breaks ties between groups of equal depth.
    public internal(set) var priority = 1
    var hostSet: Set<String> = []

    init(name: String) { self.name = name }
}

/// A host as the inventory holds it: the variables set on it by inventory sources.
struct HostRecord: Sendable {
    let name: String
    var variables: OrderedDictionary<String, Value> = [:]
    /// The inventory source that first named the host (Ansible's `inventory_file`).
    var source: String?
    /// Groups that list the host directly.
    var directGroups: [String] = []
}

/// Hosts and groups with Ansible's `InventoryData` rules: implicit `all`/`ungrouped`, parent/child
/// edges with loop detection and depth, and the reconciliation run after all sources are read.
struct InventoryGraph: Sendable {
    var groups: OrderedDictionary<String, InventoryGroup> = [:]
    var hosts: OrderedDictionary<String, HostRecord> = [:]
    /// Set while a source is being read; new hosts remember it.
    var currentSource: String?
    /// The first host named like the local machine (`localhost`, `127.0.0.1`, `::1`).
    var localhost: String?
    /// Names host ranges have expanded to so far, bounded by `HostRange.maximumNames`.
    var rangedNames = 0

    init() {
        groups["all"] = InventoryGroup(name: "all")
        groups["ungrouped"] = InventoryGroup(name: "ungrouped")
        try? addChild("ungrouped", to: "all")
    }

    /// Adds a group if it is new; invalid characters are kept (Ansible's default) with a warning.
    mutating func addGroup(_ name: String, warnings: inout [Warning], at location: SourceLocation?) {
        guard groups[name] == nil else { return }
        let bad = InventoryNames.invalidGroupCharacters(name)
        if !bad.isEmpty {
            let list = bad.map { "'\($0)'" }.joined(separator: ", ")
            warnings.append(
                Warning(
                    "Invalid characters were found in group names but not replaced: group \"\(name)\" contains \(list)",
                    at: location))
        }
        groups[name] = InventoryGroup(name: name)
    }

    /// Adds a host (and puts it in `group`); a port given for a new host becomes `ansible_port`.
    mutating func addHost(_ name: String, group: String?, port: Int?, warnings: inout [Warning]) {
        if hosts[name] == nil, InventoryNames.localhost.contains(name) {
            if let first = localhost {
                warnings.append(
                    Warning("A duplicate localhost-like entry was found (\(name)). First found localhost was \(first)"))
            } else {
                localhost = name
            }
        }
        if hosts[name] == nil {
            var record = HostRecord(name: name)
            record.source = currentSource
            if let port { record.variables["ansible_port"] = .int(port) }
            hosts[name] = record
        }
        // Mutating through `values[index]` edits in place; `dict[key]!.field = x` would copy the record.
        if let group, let gi = groups.index(forKey: group), !groups.values[gi].hostSet.contains(name) {
            groups.values[gi].hosts.append(name)
            groups.values[gi].hostSet.insert(name)
            if let hi = hosts.index(forKey: name) { hosts.values[hi].directGroups.append(group) }
        }
    }

    /// The names a host pattern's ranges expand to, counted against the inventory's bound.
    mutating func expandRanges(_ host: String) throws -> [String] {
        guard host.contains("[") else { return [host] }
        let names = try HostRange.expand(host, limit: HostRange.maximumNames - rangedNames)
        rangedNames += names.count
        return names
    }

    /// Sets a variable on a group or host; `ansible_group_priority` becomes the group's priority.
    mutating func setGroupVariable(_ group: String, _ key: String, _ value: Value) {
        if key == "ansible_group_priority" {
            switch value {
            case .int(let p): groups[group]?.priority = p
            case .string(let s): if let p = Int(s) { groups[group]?.priority = p }
            case .float(let d) where !d.isNaN:
                // Python's int() truncates any finite float; beyond Int's range the order is the same.
                groups[group]?.priority = Int(exactly: d.rounded(.towardZero)) ?? (d < 0 ? Int.min : Int.max)
            case .bool(let b): groups[group]?.priority = b ? 1 : 0
            default: break
            }
            return
        }
        groups[group]?.variables[key] = value
    }

    mutating func setHostVariable(_ host: String, _ key: String, _ value: Value) {
        if let i = hosts.index(forKey: host) { hosts.values[i].variables[key] = value }
    }

    /// Why an edge between groups cannot be added.
    struct LoopError: Error {
        let message: String
    }

    /// Makes `child` a child group of `parent`, refusing edges that would create a loop.
    mutating func addChild(_ child: String, to parent: String) throws {
        guard child != parent else { throw LoopError(message: "can't add group '\(child)' to itself") }
        guard let parentGroup = groups[parent], groups[child] != nil else { return }
        guard !parentGroup.children.contains(child) else { return }
        if ancestors(of: parent).contains(child) {
            throw LoopError(
                message: "Adding group '\(child)' as child to '\(parent)' creates a recursive dependency loop.")
        }
        groups[parent]!.children.append(child)
        groups[child]!.depth = max(parentGroup.depth + 1, groups[child]!.depth)
        let deepest = deepenDescendants(of: child)
        if !groups[child]!.parents.contains(parent) { groups[child]!.parents.append(parent) }
        // Checked once the edge is complete, so that a caller ignoring the error keeps a sound graph.
        if deepest > Self.maximumDepth {
            throw LoopError(
                message: "Adding group '\(child)' as child to '\(parent)' nests groups more than "
                    + "\(Self.maximumDepth) levels deep; expected a shallower hierarchy")
        }
    }

    /// Deepest nesting of groups. Ansible's recursion gives out between 1000 and 2000 levels, and every
    /// level costs a walk of the ancestors; real inventories use a handful.
    static let maximumDepth = 1000

    /// Pushes depths down after an edge made a group deeper; returns the deepest depth among them.
    private mutating func deepenDescendants(of name: String) -> Int {
        var queue = [name]
        var deepest = groups[name]!.depth
        while let current = queue.popLast() {
            let depth = groups[current]!.depth
            deepest = max(deepest, depth)
            for kid in groups[current]!.children where groups[kid]!.depth < depth + 1 {
                groups[kid]!.depth = depth + 1
                queue.append(kid)
            }
        }
        return deepest
    }

    /// Every group above `name` (not including it).
    func ancestors(of name: String) -> Set<String> {
        var seen = Set<String>()
        var queue = groups[name]?.parents ?? []
        while let g = queue.popLast() {
            if seen.insert(g).inserted { queue += groups[g]?.parents ?? [] }
        }
        return seen
    }

    /// All groups a host belongs to, directly or through ancestry (including `all`).
    func groupNames(ofHost host: String) -> Set<String> {
        var result = Set<String>()
        for g in hosts[host]?.directGroups ?? [] where groups[g] != nil {
            result.insert(g)
            result.formUnion(ancestors(of: g))
        }
        return result
    }

    /// Hosts of a group and its descendants, in Ansible's order: the group's own hosts, then each
    /// child's (breadth first, children in the order added), without repeats.
    func hostsOf(group name: String) -> [String] {
        guard groups[name] != nil else { return [] }
        var ordered = [name]
        var seen: Set<String> = [name]
        var frontier = [name]
        while !frontier.isEmpty {
            var next: [String] = []
            for g in frontier {
                for kid in groups[g]!.children where seen.insert(kid).inserted {
                    ordered.append(kid)
                    next.append(kid)
                }
            }
            frontier = next
        }
        var result: [String] = []
        var seenHosts = Set<String>()
        for g in ordered {
            for h in groups[g]!.hosts where seenHosts.insert(h).inserted { result.append(h) }
        }
        return result
    }

    /// Ansible's `reconcile_inventory`: parentless groups go under `all`, hosts with no group go to
    /// `ungrouped`, and hosts that found a real group leave it.
    mutating func reconcile(warnings: inout [Warning]) {
        for name in groups.keys where name != "all" && groups[name]!.parents.isEmpty {
            try? addChild(name, to: "all")
        }
        var ancestorsOf: [String: Set<String>] = [:]
        for name in groups.keys { ancestorsOf[name] = ancestors(of: name) }
        for name in hosts.keys {
            var mine = Set<String>()
            for g in hosts[name]!.directGroups {
                mine.insert(g)
                mine.formUnion(ancestorsOf[g] ?? [])
            }
            if mine.contains("ungrouped") {
                if !mine.subtracting(["all", "ungrouped"]).isEmpty { removeHost(name, from: "ungrouped") }
            } else if mine.isEmpty || mine == ["all"] {
                addHost(name, group: "ungrouped", port: nil, warnings: &warnings)
            }
        }
        for name in groups.keys where hosts[name] != nil {
            warnings.append(Warning("Found both group and host with same name: \(name)"))
        }
    }

    private mutating func removeHost(_ host: String, from group: String) {
        groups[group]!.hosts.removeAll { $0 == host }
        groups[group]!.hostSet.remove(host)
        hosts[host]!.directGroups.removeAll { $0 == group }
    }
}
