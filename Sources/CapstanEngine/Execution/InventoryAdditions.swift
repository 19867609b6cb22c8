import CapstanBasics

/// `add_host` and `group_by` applied to the run's in-memory inventory, as Ansible's strategy does
/// with their results, so later plays' patterns, `groups` and `hostvars` see them.
extension Inventory {
    /// Applies `addition`; `currentHost` is the host whose `group_by` result it is.
    mutating func apply(_ addition: InventoryAddition, currentHost: String) {
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
