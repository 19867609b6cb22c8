import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// Issue #5's differential test: the corpus under `Tests/difftest/` (files, commands, system
/// state; every module a lab node can run) is run by ansible-playbook and by `capstan play`, each on
/// fresh nodes of the second test lab prepared the same way (`prepare.sh`): per playbook and tool,
/// `--check` on one node, the first and second runs on another. The per-task statuses of the three
/// passes must be the same; after each real run the nodes' states (file trees with modes, owners
/// and hashes, units, packages, hostname, mounts) and the fetched files must be the same; `--check`
/// must change nothing; the second run must change nothing. Differences fail the test unless
/// `allowed` (DiffTestAllowances.swift) names them with a reason.
@Suite(.serialized) struct DiffTestLabTests {
    @Test func capstanDoesWhatAnsiblePlaybookDoes() async throws {
        let lab = LabNodes.Lab.second
        // Two fresh nodes per playbook and tool (see DiffTestSide): Ansible's on node-01..06,
        // Capstan's on node-07..12.
        let count = 2 * DiffTestSide.playbooks.count
        let nodes = try LabNodes.fresh(2 * count, lab: lab)
        let prepare = try String(contentsOfFile: DiffTestTool.corpus + "/prepare.sh", encoding: .utf8)
        for node in nodes {
            let prepared = try LabNodes.exec(node, prepare)
            try #require(prepared.status == 0, "prepare.sh on \(node.name): \(prepared.output)")
        }
        let server = try DiffTestFileServer(address: lab.bridgeAddress, port: 18_000 + Int(getpid() % 2000))
        defer { server.stop() }
        let work = TestScratch.directory + "/capstan-difftest-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        async let ansibleSide = Task.detached {
            try DiffTestSide.run(.ansible, nodes: Array(nodes[0..<count]), work: work, httpBase: server.base)
        }.value
        async let capstanSide = Task.detached {
            try DiffTestSide.run(.capstan, nodes: Array(nodes[count...]), work: work, httpBase: server.base)
        }.value
        let (ansible, capstan) = try await (ansibleSide, capstanSide)

        var problems: [String] = []
        for pass in DiffTestSide.passes {
            let (a, c) = (ansible.statuses[pass] ?? [], capstan.statuses[pass] ?? [])
            try #require(!a.isEmpty, "ansible-playbook reported nothing in \(pass):\n\(ansible.logs[pass] ?? "")")
            try #require(!c.isEmpty, "capstan play reported nothing in \(pass):\n\(capstan.logs[pass] ?? "")")
            problems += unexplained(pass, DiffTestEvents.difference(ansible: a, capstan: c))
        }
        for side in [ansible, capstan] {
            let changed = (side.statuses["run2"] ?? []).filter { $0.hasSuffix("=> changed") }
            problems += unexplained("run2-changed", changed.map { "! \(side.kind.rawValue): \($0)" })
            let checkChanges = DiffTestState.difference(ansible: side.beforeCheck, capstan: side.afterCheck)
            problems += checkChanges.map { "[check changed the \(side.kind.rawValue) node] \($0)" }
        }
        for pass in ["run1", "run2"] {
            problems += unexplained(
                "state",
                DiffTestState.difference(ansible: ansible.states[pass] ?? [], capstan: capstan.states[pass] ?? []))
        }
        problems += unexplained("fetched", DiffTestState.difference(ansible: ansible.fetched, capstan: capstan.fetched))
        if !problems.isEmpty {
            Issue.record(
                Comment(
                    rawValue: "\(problems.count) differences between ansible-playbook (-) and capstan (+):\n"
                        + problems.joined(separator: "\n")))
        }
    }

    /// The differences no allowance explains, each with its pass.
    func unexplained(_ pass: String, _ differences: [String]) -> [String] {
        differences.filter { difference in !Self.allowed.contains { $0.allows(pass, difference) } }
            .map { "[\(pass)] " + $0 }
    }
}
