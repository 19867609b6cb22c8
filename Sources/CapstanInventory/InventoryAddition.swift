import CapstanBasics
import Collections

/// What `add_host` and `group_by` ask of the inventory, read back from their result fields.
public enum InventoryAddition: Sendable, Equatable {
    /// A host joining `groups` with `vars` (it may already exist: then it only gains them).
    case host(name: String, groups: [String], vars: OrderedDictionary<String, Value>)
    /// The current host joining `group`, which is created under `parents` when new.
    case group(name: String, parents: [String])

    /// The addition a result describes, if any.
    public static func from(_ fields: OrderedDictionary<String, Value>) -> InventoryAddition? {
        if let add = fields["add_host"]?.dictValue, let name = add["host_name"]?.stringValue {
            let groups = (add["groups"]?.listValue ?? []).compactMap(\.stringValue)
            return .host(name: name, groups: groups, vars: add["host_vars"]?.dictValue ?? [:])
        }
        if let group = fields["add_group"]?.stringValue {
            return .group(name: group, parents: (fields["parent_groups"]?.listValue ?? []).compactMap(\.stringValue))
        }
        return nil
    }

    /// Every addition a task result describes: its own, or one per loop item that neither failed
    /// nor was skipped (`add_host` in a loop adds each item's host, as in Ansible).
    public static func all(in fields: OrderedDictionary<String, Value>) -> [InventoryAddition] {
        if let one = from(fields) { return [one] }
        guard let items = fields["results"]?.listValue else { return [] }
        return items.compactMap { item in
            guard let d = item.dictValue, d["failed"] != .bool(true), d["skipped"] != .bool(true)
            else { return nil }
            return from(d)
        }
    }
}

/// `add_host` and `group_by` applied to the run's in-memory inventory, as Ansible's strategy does
/// with their results, so later plays' patterns, `groups` and `hostvars` see them.
extension Inventory {
    /// Applies `addition`; `currentHost` is the host whose `group_by` result it is.
    package mutating func apply(_ addition: InventoryAddition, currentHost: String) {
        // Names come from a module result, so the warnings inventory files get do not apply.
        var ignored: [Warning] = []
        switch addition {
        case .host(let name, let groups, let vars):
            graph.addHost(name, group: nil, port: nil, warnings: &ignored)
            for group in groups {
                graph.addGroup(group, warnings: &ignored, at: nil)
                graph.addHost(name, group: group, port: nil, warnings: &ignored)
            }
            for (key, value) in vars { graph.setHostVariable(name, key, value) }
        case .group(let name, let parents):
            if graph.groups[name] == nil {
                graph.addGroup(name, warnings: &ignored, at: nil)
                for parent in parents {
                    graph.addGroup(parent, warnings: &ignored, at: nil)
                    try? graph.addChild(name, to: parent)
                }
            }
            graph.addHost(currentHost, group: name, port: nil, warnings: &ignored)
        }
        graph.reconcile(warnings: &ignored)
    }
}
