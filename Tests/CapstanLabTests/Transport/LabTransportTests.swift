import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// Transport against the lab's systemd nodes (a test lab of its own, `LabNodes.Lab.transport`): ten
/// hosts in parallel, and a node whose sshd is stopped.
@Suite(.serialized)
struct LabTransportTests {
    private static let lab = LabNodes.Lab.transport

    /// Brings up `count` nodes of the transport lab.
    private func labNodes(_ count: Int) throws -> [LabNodes.Node] {
        try LabNodes.up(count, lab: Self.lab)
    }

    private func pool(for nodes: [LabNodes.Node], resident: Bool = true) throws -> ConnectionPool {
        let sshDirectory = try HostCommand.temporaryDirectory("lab-ssh")
        let addresses = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, $0.address) })
        return ConnectionPool { name in
            var endpoint = SSHEndpoint(
                host: addresses[name]!, port: 22, user: "root", privateKeyPath: Self.lab.keyPath,
                connectTimeout: 5, knownHostsFile: Self.lab.knownHostsPath, sshDirectory: sshDirectory,
                config: .none)
            endpoint.globalKnownHostsFile = sshDirectory + "/none"
            endpoint.useAgent = false
            endpoint.residentShell = resident
            return SSHConnection(endpoint: endpoint)
        }
    }

    @Test(arguments: [false, true]) func tenNodesInParallel(resident: Bool) async throws {
        let nodes = try labNodes(10)
        #expect(nodes.count == 10)
        let pool = try pool(for: nodes, resident: resident)
        let results = await pool.run(nodes.map(\.name), limit: 10) { _, connection in
            // Several commands per node, with output on both streams and a non-zero exit.
            var names: [String] = []
            for _ in 0..<3 {
                let result = try await connection.run("hostname; echo err >&2; exit 5")
                guard result.exitStatus == 5, result.stderrText == "err\n" else { return "bad: \(result)" }
                names.append(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return Set(names).count == 1 ? names[0] : "differing: \(names)"
        }
        for (name, result) in results {
            #expect((try? result.get()) == name, "\(name): \(result)")
        }
        await pool.closeAll()
    }

    @Test func nodeWithStoppedSshdIsReportedAndOthersRun() async throws {
        let nodes = try labNodes(10)
        let victim = nodes.last!
        try LabNodes.exec(victim, "systemctl stop ssh.service ssh.socket")
        defer { _ = try? LabNodes.exec(victim, "systemctl start ssh.service") }
        let pool = try pool(for: nodes)
        let start = ContinuousClock.now
        let results = await pool.run(nodes.map(\.name), limit: 10) { _, connection in
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
