import CapstanBasics
import CapstanInventory

/// `--limit` leaves no host of the inventory to run on. ansible-playbook checks this before its first
/// play and stops; so does Capstan, instead of walking every play to "skipping: no hosts matched".
public struct NoHostsToTarget: Error, CustomStringConvertible {
    /// The `--limit` given.
    public var limit: String

    /// Ansible's message.
    public var description: String {
        "Specified inventory, host pattern and/or --limit leaves us with no hosts to target."
    }
}

extension PlaybookRun {
    /// Throws `NoHostsToTarget` when `limit` matches none of the inventory's hosts (the warnings say
    /// which pattern matched nothing, with the names meant). An empty inventory is left to the plays,
    /// as Ansible leaves it.
    static func checkLimit(_ limit: String?, inventory: Inventory, warnings: inout [Warning]) throws {
        guard let limit, !inventory.hosts.isEmpty else { return }
        var found: [Warning] = []
        guard try inventory.hosts(matching: "all", limit: limit, warnings: &found).isEmpty else { return }
        warnings += found
        throw NoHostsToTarget(limit: limit)
    }
}
