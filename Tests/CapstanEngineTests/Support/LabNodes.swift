import Foundation
import Testing

@testable import CapstanEngine

/// The lab for tests: real systemd nodes with sshd in their own network namespaces, made by
/// `Tests/lab/lab`. Brought up once per test process (idempotent, growing to the largest count asked
/// for) and brought down when the process exits, unless `CAPSTAN_LAB_KEEP=1`.
///
/// Tests use their own lab (`/var/lib/capstan-lab-test`, bridge `capbr9`, subnet 10.231.9.0/24)
/// so that running the suite never disturbs a lab someone brought up by hand. All three can be
/// overridden with `CAPSTAN_TEST_LAB_DIR`, `CAPSTAN_TEST_LAB_BRIDGE` and `CAPSTAN_TEST_LAB_SUBNET`.
enum LabNodes {
    /// One node as a test sees it.
    struct Node: Sendable {
        let name: String
        let address: String

        /// How to reach the node as root with the lab's key, checking its recorded host key.
        var endpoint: SSHEndpoint {
            SSHEndpoint(
                host: address, user: "root", privateKeyPath: LabNodes.keyPath,
                knownHostsFile: LabNodes.knownHostsPath, config: .none)
        }
    }

    static let environment = ProcessInfo.processInfo.environment
    static let directory = environment["CAPSTAN_TEST_LAB_DIR"] ?? "/var/lib/capstan-lab-test"
    static let bridge = environment["CAPSTAN_TEST_LAB_BRIDGE"] ?? "capbr9"
    static let subnet = environment["CAPSTAN_TEST_LAB_SUBNET"] ?? "10.231.9"
    static var inventoryPath: String { directory + "/inventory.ini" }
    static var keyPath: String { directory + "/id_ed25519" }
    static var knownHostsPath: String { directory + "/known_hosts" }
    static let script = Fixtures.packageRoot.appendingPathComponent("Tests/lab/lab").path

    private static let lock = NSLock()
    nonisolated(unsafe) private static var broughtUp = 0
    nonisolated(unsafe) private static var teardownRegistered = false

    /// Makes sure at least `count` nodes run and returns the first `count` of them. Fails (never
    /// skips) when the lab cannot come up.
    static func up(_ count: Int) throws -> [Node] {
        lock.lock()
        defer { lock.unlock() }
        if broughtUp < count {
            let result = try run(["up", String(count)])
            guard result.status == 0 else {
                throw LabError(message: "lab up \(count) failed (exit \(result.status)): \(result.output)")
            }
            broughtUp = count
            if !teardownRegistered && environment["CAPSTAN_LAB_KEEP"] != "1" {
                teardownRegistered = true
                atexit { _ = try? LabNodes.run(["down"]) }
            }
        }
        return (1...count).map { i in
            Node(name: String(format: "node-%02d", i), address: "\(subnet).\(10 + i)")
        }
    }

    /// Runs a command inside a node's namespaces (`lab exec`), for setting up or inspecting state.
    @discardableResult
    static func exec(_ node: Node, _ command: String) throws -> (status: Int32, output: String) {
        try run(["exec", node.name, "/bin/sh", "-c", command])
    }

    /// Runs the lab script with the test lab's settings; output and error together.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        var env = environment
        env["CAPSTAN_LAB_DIR"] = directory
        env["CAPSTAN_LAB_BRIDGE"] = bridge
        env["CAPSTAN_LAB_SUBNET"] = subnet
        let outcome = try SpawnedProcess.run("/bin/bash", [script] + arguments, environment: env)
        return (outcome.status, outcome.out + outcome.err)
    }

    struct LabError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
