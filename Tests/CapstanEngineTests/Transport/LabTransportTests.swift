import Foundation
import Testing

@testable import CapstanEngine

/// Transport against the lab's systemd nodes (`Tests/lab/lab up 10`): ten hosts in parallel, and a node
/// whose sshd is stopped. Skipped only when the lab script is not in the repository.
@Suite(.serialized, .enabled(if: Lab.scriptExists, "Tests/lab/lab is absent: lab tests skipped"))
struct LabTransportTests {
    /// Brings up `count` nodes and returns (name, address) from the inventory the lab wrote.
    private func labNodes(_ count: Int) throws -> [(name: String, address: String)] {
        try HostCommand.run([Lab.script, "up", "\(count)"])
        let inventory = try String(contentsOfFile: Lab.directory + "/inventory.ini", encoding: .utf8)
        let nodes = inventory.split(separator: "\n").compactMap { line -> (String, String)? in
            let fields = line.split(separator: " ")
            guard let name = fields.first, name.hasPrefix("node-"),
                let host = fields.first(where: { $0.hasPrefix("ansible_host=") })
            else { return nil }
            return (String(name), String(host.dropFirst("ansible_host=".count)))
        }
        return Array(nodes.prefix(count))
    }

    private func pool(for nodes: [(name: String, address: String)]) throws -> ConnectionPool {
        let sshDirectory = try HostCommand.temporaryDirectory("lab-ssh")
        let addresses = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0.address) })
        return ConnectionPool { name in
            var endpoint = SSHEndpoint(
                host: addresses[name]!, port: 22, user: "root", privateKeyPath: Lab.directory + "/id_ed25519",
                connectTimeout: 5, knownHostsFile: Lab.directory + "/known_hosts", sshDirectory: sshDirectory,
                config: .none)
            endpoint.globalKnownHostsFile = sshDirectory + "/none"
            endpoint.useAgent = false
            return SSHConnection(endpoint: endpoint)
        }
    }

    @Test func tenNodesInParallel() async throws {
        let nodes = try labNodes(10)
        #expect(nodes.count == 10)
        let pool = try pool(for: nodes)
        let results = await ParallelRunner(forks: 10).run(nodes.map(\.name), pool: pool) { _, connection in
            try await connection.run("hostname").stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for (name, result) in results {
            #expect((try? result.get()) == name, "\(name): \(result)")
        }
        await pool.closeAll()
    }

    @Test func nodeWithStoppedSshdIsReportedAndOthersRun() async throws {
        let nodes = try labNodes(10)
        let victim = nodes.last!
        try HostCommand.run([Lab.script, "exec", victim.name, "systemctl", "stop", "ssh.service", "ssh.socket"])
        defer { _ = try? HostCommand.run([Lab.script, "exec", victim.name, "systemctl", "start", "ssh.service"]) }
        let pool = try pool(for: nodes)
        let start = ContinuousClock.now
        let results = await ParallelRunner(forks: 10).run(nodes.map(\.name), pool: pool) { _, connection in
            try await connection.run("true").exitStatus
        }
        #expect(ContinuousClock.now - start < .seconds(20))
        for (name, result) in results where name != victim.name {
            #expect((try? result.get()) == 0, "\(name): \(result)")
        }
        guard case .failure(let error as ConnectionError) = results.last!.result else {
            Issue.record("\(victim.name) with sshd stopped did not fail: \(results.last!.result)")
            return
        }
        #expect(error == .connectionRefused(host: victim.address, port: 22))
        #expect(error.isUnreachable)
        await pool.closeAll()
    }
}

/// Where the lab script and its outputs are.
enum Lab {
    /// The package root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    /// The lab script: `<root>/Tests/lab/lab`, or `CAPSTAN_LAB_SCRIPT` to try another checkout's lab.
    static let script = ProcessInfo.processInfo.environment["CAPSTAN_LAB_SCRIPT"] ?? root + "/Tests/lab/lab"
    /// Where `lab up` writes inventory.ini, id_ed25519 and known_hosts.
    static let directory = ProcessInfo.processInfo.environment["CAPSTAN_LAB_DIR"] ?? "/var/lib/capstan-lab"
    /// Whether the lab tests can run.
    static var scriptExists: Bool { FileManager.default.isExecutableFile(atPath: script) }
}
