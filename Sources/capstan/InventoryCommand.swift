import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanInventory
import Foundation

/// `capstan inventory`: shows an inventory the way `ansible-inventory` does (`--list`, `--graph`, `--host`).
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Show an Ansible inventory: --list (JSON), --graph [GROUP] or --host NAME.",
        discussion: ExitStatus.table
    )

    @Option(name: [.customShort("i"), .long], help: "Inventory source: file, folder or host1,host2 list (repeatable).")
    var inventory: [String] = []

    @Flag(help: "Print the whole inventory as JSON, like ansible-inventory --list.")
    var list = false

    @Flag(help: "Print the group tree, like ansible-inventory --graph.")
    var graph = false

    @Option(help: "Print one host's variables as JSON.")
    var host: String?

    @Option(name: [.customShort("l"), .long], help: "Limit --list to hosts matching this pattern (or @file).")
    var limit: String?

    @Flag(help: "With --graph, also show variables.")
    var vars = false

    @Option(help: "Also read group_vars/host_vars beside this playbook folder.")
    var playbookDir: String?

    @Argument(help: "With --graph, the group to start from (default: all).")
    var group: String?

    func validate() throws {
        let chosen = [list, graph, host != nil].filter { $0 }.count
        guard chosen == 1 else {
            throw ValidationError("Choose exactly one of --list, --graph or --host.")
        }
        guard !inventory.isEmpty else { throw ValidationError("Give at least one inventory source with -i.") }
    }

    func run() throws {
        var warnings: [Warning] = []
        do {
            var inv = try Inventory.load(sources: inventory, warnings: &warnings)
            if let playbookDir { try inv.addPlaybookDirectory(playbookDir, warnings: &warnings) }
            let output: String
            if let host {
                output = try inv.hostJSON(host, warnings: &warnings).json(.nice)
            } else if graph {
                output = try inv.graph(group: group ?? "all", showVariables: vars)
            } else {
                output = try inv.listJSON(limit: limit, warnings: &warnings).json(.nice)
            }
            Diagnostics.printWarnings(warnings)
            print(output)
        } catch {
            Diagnostics.printWarnings(warnings)
            throw Diagnostics.fail(error)
        }
    }
}
