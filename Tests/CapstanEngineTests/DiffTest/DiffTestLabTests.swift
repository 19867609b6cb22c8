import Foundation
import Testing

@testable import CapstanEngine

/// Issue #5's differential test: the corpus under `Tests/difftest/` (files, commands, system
/// state; every module a lab node can run) is run by ansible-playbook on one fresh lab node and by
/// `capstan play` on another, each node prepared the same way (`prepare.sh`). For `--check` on the
/// fresh nodes, the first run and the second run, the per-task statuses must be the same; after
/// each real run the nodes' states (file trees with modes, owners and hashes, units, packages,
/// hostname) and the fetched files must be the same; `--check` must change nothing; the second run
/// must change nothing. Differences fail the test unless `allowed` names them with a reason.
@Suite(.serialized) struct DiffTestLabTests {
    @Test func capstanDoesWhatAnsiblePlaybookDoes() async throws {
        let lab = LabNodes.Lab.second
        // Two fresh nodes per tool: --check runs on one while the real runs go on the other, so the
        // three passes take the time of two.
        let nodes = try LabNodes.fresh(4, lab: lab)
        let prepare = try String(contentsOfFile: DiffTestTool.corpus + "/prepare.sh", encoding: .utf8)
        for node in nodes {
            let prepared = try LabNodes.exec(node, prepare)
            try #require(prepared.status == 0, "prepare.sh on \(node.name): \(prepared.output)")
        }
        let server = try DiffTestFileServer(address: lab.bridgeAddress, port: 18_000 + Int(getpid() % 2000))
        defer { server.stop() }
        let work = NSTemporaryDirectory() + "capstan-difftest-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        async let ansibleSide = Task.detached {
            try DiffTestSide.run(.ansible, checkNode: nodes[0], runNode: nodes[1], work: work, httpBase: server.base)
        }.value
        async let capstanSide = Task.detached {
            try DiffTestSide.run(.capstan, checkNode: nodes[2], runNode: nodes[3], work: work, httpBase: server.base)
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
