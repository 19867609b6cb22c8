import CapstanEngine
import Foundation

/// The local lab (Tests/lab/lab) for tests that need real nodes: brings it up once per test process
/// and says how to reach its nodes. The lab's own environment variables (`CAPSTAN_LAB_DIR`,
/// `CAPSTAN_LAB_BRIDGE`, `CAPSTAN_LAB_SUBNET`) are passed through, so a developer can point tests at
/// a private lab. A lab that cannot come up is an error (the test fails), never a skip.
enum LabNodes {
    /// One lab node.
    struct Node: Sendable {
        /// `node-01`.
        var name: String
        /// `10.231.0.11`.
        var address: String
    }

    /// A running lab.
    struct Lab: Sendable {
        /// The lab directory (key, known_hosts, inventory).
        var directory: String
        /// The nodes, in order.
        var nodes: [Node]
        /// Root's private key for every node.
        var privateKey: String { directory + "/id_ed25519" }
        /// The nodes' host keys.
        var knownHosts: String { directory + "/known_hosts" }
        /// The Ansible inventory `lab up` wrote.
        var inventory: String { directory + "/inventory.ini" }

        /// How to log in to `node` as root with the lab's key, checking its host key strictly.
        func endpoint(_ node: Node) -> SSHEndpoint {
            SSHEndpoint(
                host: node.address, user: "root", privateKeyPath: privateKey, hostKeyPolicy: .strict,
                knownHostsFile: knownHosts, config: .none)
        }
    }

    /// The reason the lab could not be brought up.
    struct LabError: Error, CustomStringConvertible {
        var description: String
    }

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var started = 0
    }
    private static let state = State()

    /// Makes sure at least `count` nodes run (one `lab up` per process and node count) and returns them.
    static func up(_ count: Int) throws -> Lab {
        state.lock.lock()
        defer { state.lock.unlock() }
        let directory = ProcessInfo.processInfo.environment["CAPSTAN_LAB_DIR"] ?? "/var/lib/capstan-lab"
        if state.started < count {
            let script = Fixtures.packageRoot.appendingPathComponent("Tests/lab/lab").path
            let (status, output) = try run([script, "up", String(count)])
            guard status == 0 else { throw LabError(description: "lab up \(count) failed (\(status)):\n\(output)") }
            state.started = count
        }
        let inventory = try String(contentsOfFile: directory + "/inventory.ini", encoding: .utf8)
        var nodes: [Node] = []
        for line in inventory.split(separator: "\n") where line.hasPrefix("node-") {
            let words = line.split(separator: " ")
            guard let host = words.first(where: { $0.hasPrefix("ansible_host=") }) else { continue }
            let node = Node(name: String(words[0]), address: String(host.dropFirst("ansible_host=".count)))
            if !nodes.contains(where: { $0.name == node.name }) { nodes.append(node) }
        }
        guard nodes.count >= count else {
            throw LabError(description: "the lab inventory lists \(nodes.count) nodes, \(count) needed")
        }
        return Lab(directory: directory, nodes: nodes)
    }

    /// Runs a program to completion; returns its status and combined output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
