import CapstanBasics
import CapstanYAML
import Collections
import Foundation

/// A host of the inventory, by name.
public struct Host: Sendable, Hashable, CustomStringConvertible {
    /// The inventory name (`inventory_hostname`).
    public let name: String

    /// Names a host.
    public init(name: String) { self.name = name }

    /// The inventory name.
    public var description: String { name }
}

/// An Ansible inventory as `ansible-inventory` sees it: hosts, groups, merged variables and host patterns.
///
/// Variables merge as Ansible's VariableManager does, lowest first: `all`'s inventory vars, other
/// groups' inventory vars (by depth, then `ansible_group_priority`, then name), `group_vars/all`
/// beside the inventory, then beside the playbook, `group_vars/<group>` beside the inventory, then
/// beside the playbook, the host's inventory vars, `host_vars/<host>` beside the inventory, then
/// beside the playbook.
public struct Inventory: Sendable {
    var graph: InventoryGraph
    /// The sources as given (`-i` arguments), in order.
    public let sources: [String]
    /// group_vars/host_vars folders beside the inventory sources, in source order.
    public private(set) var inventoryVars: [VarsDirectory]
    /// group_vars/host_vars folders beside playbooks, added with `addPlaybookDirectory`.
    public private(set) var playbookVars: [VarsDirectory] = []

    /// Reads inventory sources (INI or YAML files, folders of them, `a,b,c` host lists) and the
    /// group_vars/host_vars beside them. Problems Ansible only warns about go to `warnings`.
    public static func load(sources: [String], warnings: inout [Warning]) throws -> Inventory {
        var loader = InventoryLoader()
        var found: [Warning] = []
        do {
            try ParserStack.run { try loader.load(sources: sources, warnings: &found) }
        } catch {
            warnings += found
            throw error
        }
        warnings += found
        let graph = loader.graph
        let groups = Array(graph.groups.keys)
        let hosts = Array(graph.hosts.keys)
        var dirs: [VarsDirectory] = []
        for dir in loader.varsDirectories {
            dirs.append(try VarsDirectory(baseDirectory: dir, groups: groups, hosts: hosts, warnings: &warnings))
        }
        return Inventory(graph: graph, sources: sources, inventoryVars: dirs)
    }

    /// Adds the group_vars/host_vars beside a playbook; they take precedence over the inventory's,
    /// and later playbook folders over earlier ones.
    public mutating func addPlaybookDirectory(_ directory: String, warnings: inout [Warning]) throws {
        playbookVars.append(
            try VarsDirectory(
                baseDirectory: directory, groups: Array(graph.groups.keys), hosts: Array(graph.hosts.keys),
                warnings: &warnings))
    }

    /// Every group, in the order first seen (`all` and `ungrouped` first).
    public var groups: [InventoryGroup] { Array(graph.groups.values) }

    /// The group with this name, if any.
    public func group(named name: String) -> InventoryGroup? { graph.groups[name] }

    /// Every host, in the order Ansible lists `all`.
    public var hosts: [Host] { graph.hostsOf(group: "all").map(Host.init(name:)) }

    /// The names of the hosts in group `name` and its descendants, in the order Ansible lists them.
    package func hostNames(inGroup name: String) -> [String] { graph.hostsOf(group: name) }

    /// The host with this name, if the inventory has it.
    public func host(named name: String) -> Host? { graph.hosts[name] != nil ? Host(name: name) : nil }

    /// Hosts matching an Ansible host pattern, optionally narrowed by a `--limit` pattern (which may
    /// name `@file`s holding one pattern per line), in Ansible's order, without repeats.
    public func hosts(matching pattern: String, limit: String? = nil, warnings: inout [Warning]) throws -> [Host] {
        let matcher = HostPatternMatcher(graph: graph)
        var names = try matcher.evaluate(HostPatternMatcher.split(pattern), warnings: &warnings)
        if let limit {
            let allowed = Set(try matcher.evaluate(try Self.limitPatterns(limit), warnings: &warnings))
            names = names.filter(allowed.contains)
        }
        return names.map(Host.init(name:))
    }

    /// The hosts matching `patterns` in an inventory made only of `groups` (name and member hosts),
    /// as the `inventory_hostnames` lookup builds one from the `groups` variable; none when a
    /// pattern is invalid.
    package static func hostNames(matching patterns: [String], groups: [(String, [String])]) -> [String] {
        var graph = InventoryGraph()
        var warnings: [Warning] = []
        for (group, hosts) in groups {
            graph.addGroup(group, warnings: &warnings, at: nil)
            for host in hosts { graph.addHost(host, group: group, port: nil, warnings: &warnings) }
        }
        let split = patterns.flatMap(HostPatternMatcher.split)
        return (try? HostPatternMatcher(graph: graph).evaluate(split, warnings: &warnings)) ?? []
    }

    /// `--limit` patterns, with `@file` entries replaced by the file's lines.
    static func limitPatterns(_ limit: String) throws -> [String] {
        var result: [String] = []
        for p in HostPatternMatcher.split(limit) {
            guard p.hasPrefix("@") else {
                result.append(p)
                continue
            }
            let path = String(p.dropFirst())
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw InventoryError("Unable to find limit file \(path)")
            }
            guard !isDir.boolValue else {
                throw InventoryError("Limit starting with \"@\" must be a file, not a directory: \(path)")
            }
            let text = try YAMLLoader.readText(path)
            result += text.components(separatedBy: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
        return result
    }

    /// Ansible's order for merging group variables: shallow groups first, then priority, then name.
    func sortedGroups(_ names: some Sequence<String>) -> [String] {
        names.sorted { a, b in
            let ga = graph.groups[a]!
            let gb = graph.groups[b]!
            if ga.depth != gb.depth { return ga.depth < gb.depth }
            if ga.priority != gb.priority { return ga.priority < gb.priority }
            return a < b
        }
    }

    /// A host's variables merged as Ansible does (what `ansible-inventory --host` prints).
    public func variables(for host: Host) -> OrderedDictionary<String, Value> {
        guard let record = graph.hosts[host.name] else {
            return InventoryNames.localhost.contains(host.name) ? ["ansible_connection": "local"] : [:]
        }
        var merged = graph.groups["all"]?.variables ?? [:]
        let hostGroups = sortedGroups(graph.groupNames(ofHost: host.name).subtracting(["all"]))
        for g in hostGroups { merged.merge(graph.groups[g]!.variables) { $1 } }
        for dir in inventoryVars { merged.merge(dir.variables(forGroup: "all")) { $1 } }
        for dir in playbookVars { merged.merge(dir.variables(forGroup: "all")) { $1 } }
        for dir in inventoryVars { for g in hostGroups { merged.merge(dir.variables(forGroup: g)) { $1 } } }
        for dir in playbookVars { for g in hostGroups { merged.merge(dir.variables(forGroup: g)) { $1 } } }
        merged.merge(record.variables) { $1 }
        for dir in inventoryVars { merged.merge(dir.variables(forHost: host.name)) { $1 } }
        for dir in playbookVars { merged.merge(dir.variables(forHost: host.name)) { $1 } }
        return merged
    }

    /// Ansible's magic variables for a host: `inventory_hostname`, `inventory_hostname_short`,
    /// `group_names` (sorted, without `all`), `inventory_file` and `inventory_dir`.
    public func magicVariables(for host: Host) -> OrderedDictionary<String, Value> {
        let isAddress =
            host.name.split(separator: ".").count == 4 && host.name.allSatisfy { $0.isNumber || $0 == "." }
            || host.name.contains(":")
        let short = isAddress ? host.name : String(host.name.split(separator: ".", omittingEmptySubsequences: false)[0])
        let groups = graph.groupNames(ofHost: host.name).subtracting(["all"]).sorted()
        let source = graph.hosts[host.name]?.source
        return [
            "inventory_hostname": .string(host.name),
            "inventory_hostname_short": .string(short),
            "group_names": .list(groups.map(Value.string)),
            "inventory_file": source.map { .string($0) } ?? .null,
            "inventory_dir": source.map { .string(($0 as NSString).deletingLastPathComponent) } ?? .null,
        ]
    }

    /// The variables of a group itself (inventory vars, then group_vars beside the inventory, then
    /// beside the playbook), as `ansible-inventory --graph --vars [--playbook-dir]` shows them.
    public func variables(forGroup name: String) -> OrderedDictionary<String, Value> {
        guard let group = graph.groups[name] else { return [:] }
        var merged = group.variables
        for dir in inventoryVars + playbookVars { merged.merge(dir.variables(forGroup: name)) { $1 } }
        if group.priority != 1 { merged["ansible_group_priority"] = .int(group.priority) }
        return merged
    }

    /// How to connect to a host, from its merged variables.
    public func connectionSettings(for host: Host, defaultConnection: String = "ssh") -> ConnectionSettings {
        ConnectionSettings(hostName: host.name, variables: variables(for: host), defaultConnection: defaultConnection)
    }
}
