import ArgumentParser
import CapstanExecution
import CapstanInventory
import Foundation

/// `capstan init`: writes a commented starting inventory and `group_vars/all.yml` (like `k0sctl init`).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starting inventory (hosts.ini) and group_vars/all.yml for a new cluster.")

    @Option(name: .customLong("control-planes"), help: "How many control-plane hosts.")
    var controlPlanes = 1

    @Option(name: .customLong("workers"), help: "How many worker hosts.")
    var workers = 2

    @Option(
        name: .customLong("addresses"),
        help: "The hosts' addresses, comma-separated, control planes first (default: 192.0.2.x placeholders).")
    var addresses: String?

    @Option(name: [.short, .customLong("user")], help: "The SSH user of every host.")
    var user = "root"

    @Option(name: .customLong("private-key"), help: "The SSH key of every host.")
    var privateKey = "~/.ssh/id_ed25519"

    @Option(name: .customLong("dir"), help: "Where to write the files (created if missing).")
    var directory = "."

    @Flag(name: .customLong("force"), help: "Overwrite hosts.ini and group_vars/all.yml if they exist.")
    var force = false

    func run() throws {
        let starter = StarterInventory(
            controlPlanes: controlPlanes, workers: workers,
            addresses: addresses.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? [],
            user: user, privateKey: privateKey)
        do {
            for path in try starter.write(to: directory, force: force) { print("wrote \(path)") }
        } catch let problem as StarterInventory.Problem {
            Diagnostics.printError("\(problem)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
