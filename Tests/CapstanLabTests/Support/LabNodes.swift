import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// The labs for tests: real systemd nodes with sshd in their own network namespaces, made by
/// `Tests/lab/lab`. Each lab is brought up once per test process (idempotent, growing to the
/// largest count asked for) and brought down when the process exits, unless `CAPSTAN_LAB_KEEP=1`.
///
/// Tests use their own lab (`/var/lib/capstan-lab-test`, bridge `capbr9`, subnet 10.231.9.0/24)
/// so that running the suite never disturbs a lab someone brought up by hand. All three can be
/// overridden with `CAPSTAN_TEST_LAB_DIR`, `CAPSTAN_TEST_LAB_BRIDGE` and `CAPSTAN_TEST_LAB_SUBNET`.
/// A second lab (`.second`: `/var/lib/capstan-lab-test2`, `capbr8`, 10.231.8.0/24, overridden with
/// `CAPSTAN_TEST_LAB2_DIR`, `_BRIDGE`, `_SUBNET`) is for tests that compare two tools on fresh
/// nodes each, such as the differential test against ansible-playbook.
enum LabNodes {
    /// One lab: where its state lives, its bridge and its /24.
    struct Lab: Sendable, Hashable {
        let directory: String
        let bridge: String
        let subnet: String

        var inventoryPath: String { directory + "/inventory.ini" }
        var keyPath: String { directory + "/id_ed25519" }
        var knownHostsPath: String { directory + "/known_hosts" }

        /// The default test lab.
        static let first = Lab(
            directory: environment["CAPSTAN_TEST_LAB_DIR"] ?? "/var/lib/capstan-lab-test",
            bridge: environment["CAPSTAN_TEST_LAB_BRIDGE"] ?? "capbr9",
            subnet: environment["CAPSTAN_TEST_LAB_SUBNET"] ?? "10.231.9")
        /// The second test lab, for comparisons that need two sets of fresh nodes.
        static let second = Lab(
            directory: environment["CAPSTAN_TEST_LAB2_DIR"] ?? "/var/lib/capstan-lab-test2",
            bridge: environment["CAPSTAN_TEST_LAB2_BRIDGE"] ?? "capbr8",
            subnet: environment["CAPSTAN_TEST_LAB2_SUBNET"] ?? "10.231.8")
        /// The cluster lifecycle's lab: its nodes get the Kubernetes doubles and whole clusters, and
        /// the first lab's node count and inventory (which other tests read) stay as they are.
        static let cluster = Lab(
            directory: environment["CAPSTAN_TEST_LAB3_DIR"] ?? "/var/lib/capstan-lab-test3",
            bridge: environment["CAPSTAN_TEST_LAB3_BRIDGE"] ?? "capbr7",
            subnet: environment["CAPSTAN_TEST_LAB3_SUBNET"] ?? "10.231.7")

        /// The transport tests' ten nodes (one gets its sshd stopped), so that neither the first lab's
        /// node count nor a lab someone made by hand (`/var/lib/capstan-lab`) is touched.
        static let transport = Lab(
            directory: environment["CAPSTAN_TEST_LAB4_DIR"] ?? "/var/lib/capstan-lab-test4",
            bridge: environment["CAPSTAN_TEST_LAB4_BRIDGE"] ?? "capbr6",
            subnet: environment["CAPSTAN_TEST_LAB4_SUBNET"] ?? "10.231.6")

        /// The lab the teardown test brings up and down itself (one node and the kube doubles'
        /// server), so that no other test's lab goes away under it.
        static let teardown = Lab(
            directory: environment["CAPSTAN_TEST_LAB5_DIR"] ?? "/var/lib/capstan-lab-test5",
            bridge: environment["CAPSTAN_TEST_LAB5_BRIDGE"] ?? "capbr5",
            subnet: environment["CAPSTAN_TEST_LAB5_SUBNET"] ?? "10.231.5")

        /// The host's own address on the lab's bridge, which the nodes can reach.
        var bridgeAddress: String { subnet + ".1" }
    }

    /// One node as a test sees it.
    struct Node: Sendable {
        let name: String
        let address: String
        var lab: Lab = .first

        /// How to reach the node as root with the lab's key, checking its recorded host key.
        var endpoint: SSHEndpoint {
            SSHEndpoint(
                host: address, user: "root", privateKeyPath: lab.keyPath, knownHostsFile: lab.knownHostsPath,
                config: .none)
        }
    }

    static let environment = ProcessInfo.processInfo.environment
    static var directory: String { Lab.first.directory }
    static var bridge: String { Lab.first.bridge }
    static var subnet: String { Lab.first.subnet }
    static var inventoryPath: String { Lab.first.inventoryPath }
    static var keyPath: String { Lab.first.keyPath }
    static var knownHostsPath: String { Lab.first.knownHostsPath }
    static let script = Fixtures.packageRoot.appendingPathComponent("Tests/lab/lab").path

    private static let lock = NSLock()
    nonisolated(unsafe) private static var broughtUp: [Lab: Int] = [:]
    nonisolated(unsafe) private static var teardownRegistered: Set<Lab> = []

    /// Makes sure at least `count` nodes run in `lab` and returns the first `count` of them. Fails
    /// (never skips) when the lab cannot come up.
    static func up(_ count: Int, lab: Lab = .first) throws -> [Node] {
        lock.lock()
        defer { lock.unlock() }
        if broughtUp[lab, default: 0] < count {
            let result = try run(["up", String(count)], lab: lab)
            guard result.status == 0 else {
                throw LabError(
                    message: "lab up \(count) in \(lab.directory) failed (exit \(result.status)): \(result.output)")
            }
            broughtUp[lab] = count
            if !teardownRegistered.contains(lab) && environment["CAPSTAN_LAB_KEEP"] != "1" {
                if teardownRegistered.isEmpty {
                    atexit {
                        for lab in LabNodes.teardownRegistered { _ = try? LabNodes.run(["down"], lab: lab) }
                    }
                }
                teardownRegistered.insert(lab)
            }
        }
        return (1...count).map { i in
            Node(name: String(format: "node-%02d", i), address: "\(lab.subnet).\(10 + i)", lab: lab)
        }
    }

    /// Brings `lab` down and up again with `count` nodes that nothing has touched yet. Only for a lab
    /// no other test shares (`.second`): the nodes other tests made in it are gone afterwards.
    static func fresh(_ count: Int, lab: Lab) throws -> [Node] {
        lock.lock()
        let down = try run(["down"], lab: lab)
        broughtUp[lab] = 0
        lock.unlock()
        guard down.status == 0 else {
            throw LabError(message: "lab down in \(lab.directory) failed (exit \(down.status)): \(down.output)")
        }
        return try up(count, lab: lab)
    }

    /// Runs a command inside a node's namespaces (`lab exec`), for setting up or inspecting state.
    @discardableResult
    static func exec(_ node: Node, _ command: String) throws -> (status: Int32, output: String) {
        try run(["exec", node.name, "/bin/sh", "-c", command], lab: node.lab)
    }

    /// Runs the lab script with a lab's settings; output and error together.
    static func run(_ arguments: [String], lab: Lab = .first) throws -> (status: Int32, output: String) {
        var env = environment
        env["CAPSTAN_LAB_DIR"] = lab.directory
        env["CAPSTAN_LAB_BRIDGE"] = lab.bridge
        env["CAPSTAN_LAB_SUBNET"] = lab.subnet
        // A dozen fresh nodes on a loaded two-core machine can take longer than the lab's 60 s.
        env["CAPSTAN_LAB_TIMEOUT"] = env["CAPSTAN_LAB_TIMEOUT"] ?? "180"
        let outcome = try SpawnedProcess.run("/bin/bash", [script] + arguments, environment: env)
        return (outcome.status, outcome.out + outcome.err)
    }

    struct LabError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
