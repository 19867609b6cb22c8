import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// `capstan cluster ...` runs the right playbook of `--playbooks-dir` with the right hosts and
/// variables, and destructive verbs need a confirmation. The playbooks are stand-ins that report
/// what they were given (`Fixtures/cluster/cli/playbooks`), on hosts of this machine.
@Suite struct ClusterCommandTests {
    static let inventory = ClusterPlay.fixture("cli/hosts.ini")
    static let playbooks = ClusterPlay.fixture("cli/playbooks")

    /// One `Report` message per host and run, in order.
    struct Report {
        var host: String
        var msg: Value
    }

    static func cluster(_ arguments: [String]) throws -> (status: Int32, reports: [Report], err: String) {
        let verb = arguments[0]
        let r = try CapstanBinary.run(
            ["cluster", verb, "-i", inventory, "--playbooks-dir", playbooks, "--output", "json"]
                + arguments.dropFirst())
        let reports = r.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }
            .filter { $0["event"] == "host_result" }
            .compactMap { e in e["host"]?.stringValue.map { Report(host: $0, msg: e["result"]?["msg"] ?? .null) } }
        return (r.status, reports, r.err)
    }

    /// The folder of the inventory, where the cluster's state lives.
    static var inventoryDir: String { (inventory as NSString).deletingLastPathComponent }

    @Test func upRunsClusterPlaybookWithArtifactsDir() throws {
        let r = try Self.cluster(["up"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.reports.map(\.host).sorted() == ["cp-1", "w-1", "w-2"])
        #expect(r.reports.allSatisfy { $0.msg["playbook"] == "cluster" })
        #expect(r.reports.first?.msg["artifacts"] == .string(Self.inventoryDir + "/artifacts/capstan"))

        let named = try Self.cluster(["up", "-e", "cluster_name=lab1"])
        #expect(named.reports.first?.msg["artifacts"] == .string(Self.inventoryDir + "/artifacts/lab1"))
        let explicit = try Self.cluster(["up", "-e", "capstan_artifacts_dir=/srv/a"])
        #expect(explicit.reports.first?.msg["artifacts"] == "/srv/a")
    }

    @Test func addNodeLimitsToTheNamedNodes() throws {
        let r = try Self.cluster(["add-node", "w-2"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.reports.map(\.host) == ["w-2"])
        #expect(r.reports.first?.msg["playbook"] == "add-node")
        let mixed = try Self.cluster(["add-node", "w-2", "--limit", "w-1"])
        #expect(mixed.status == 64)
    }

    @Test func removeNodeRunsOncePerNodeWhenConfirmed() throws {
        let r = try Self.cluster(["remove-node", "--yes", "--allow-ungraceful", "w-1", "w-2"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.reports.count == 6)
        #expect(r.reports.prefix(3).allSatisfy { $0.msg["node"] == "w-1" && $0.msg["playbook"] == "remove-node" })
        #expect(r.reports.suffix(3).allSatisfy { $0.msg["node"] == "w-2" })
        #expect(r.reports.allSatisfy { $0.msg["allow_ungraceful"] == .bool(true) })
        // The journal records the verb and what it added, one run per node.
        let journal = TestScratch.directory + "/capstan-cluster-journal-\(UUID().uuidString).sqlite"
        defer { unlink(journal) }
        _ = try Self.cluster(["remove-node", "--yes", "--journal", journal, "w-1", "w-2"])
        let runs = try CapstanBinary.run(["runs", "--journal", journal])
        #expect(runs.out.contains("cluster remove-node \(Self.playbooks)/remove-node.yml node=w-1"), "\(runs.out)")
        #expect(runs.out.contains("cluster remove-node \(Self.playbooks)/remove-node.yml node=w-2"))
        // A verb's own variable wins over -e.
        let overridden = try Self.cluster(["remove-node", "-y", "-e", "node=cp-1", "w-2"])
        #expect(overridden.reports.allSatisfy { $0.msg["node"] == "w-2" })
    }

    /// Without a terminal (the tests' standard input is /dev/null) and without --yes, nothing runs.
    @Test(arguments: [["reset"], ["remove-node", "w-1"], ["upgrade", "--to", "1.32"]])
    func destructiveVerbsRefuseWithoutConfirmation(arguments: [String]) throws {
        let r = try Self.cluster(arguments)
        #expect(r.status == 64)
        #expect(r.reports.isEmpty)
        #expect(r.err.contains("needs confirmation; run it on a terminal or pass --yes"), "\(r.err)")
    }

    @Test func upgradeAndResetPassTheirVariables() throws {
        let upgrade = try Self.cluster(["upgrade", "--yes", "--to", "1.32"])
        #expect(upgrade.status == 0, "\(upgrade.err)")
        #expect(upgrade.reports.allSatisfy { $0.msg["playbook"] == "upgrade" && $0.msg["kube_version"] == "1.32" })
        let reset = try Self.cluster(["reset", "--yes", "--purge"])
        #expect(reset.reports.allSatisfy { $0.msg["playbook"] == "reset" && $0.msg["purge"] == .bool(true) })
    }

    /// On a terminal the user types the answer: `yes` runs, anything else exits 64 with nothing run
    /// (util-linux `script` gives the command a pseudo-terminal).
    @Test(arguments: [("yes", Int32(0)), ("no", Int32(64))])
    func terminalConfirmation(answer: String, expected: Int32) throws {
        let command = [
            CapstanBinary.path, "cluster", "reset", "-i", Self.inventory, "--playbooks-dir", Self.playbooks,
            "--no-journal",
        ].map { "'\($0)'" }.joined(separator: " ")
        let r = try SpawnedProcess.run(
            "/bin/sh", ["-c", "printf '\(answer)\\n' | script -qec \"\(command)\" /dev/null"])
        #expect(r.status == expected, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("Type yes to continue"))
        // The prompt names the nodes, not only the inventory file.
        #expect(r.out.contains("Reset Kubernetes on cp-1, w-1, w-2 (inventory \(Self.inventory))?"), "\(r.out)")
        #expect(r.out.contains("PLAY RECAP") == (expected == 0))
    }

    @Test func missingPlaybooksFolderIsAUsageError() throws {
        let r = try CapstanBinary.run([
            "cluster", "up", "-i", Self.inventory, "--playbooks-dir", NSTemporaryDirectory() + "no-such-dir",
        ])
        #expect(r.status == 64)
        #expect(r.err.contains("no playbooks folder with cluster.yml found"))
    }

    /// Without --playbooks-dir, the nearest playbooks/ holding the playbook, walking up from the
    /// working directory; a playbooks/ without it is passed over.
    @Test func locatorWalksUpFromTheWorkingDirectory() throws {
        let root = TestScratch.directory + "/capstan-locator-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for dir in ["/a/b", "/a/playbooks", "/playbooks"] {
            try FileManager.default.createDirectory(atPath: root + dir, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(
            atPath: Self.playbooks + "/cluster.yml", toPath: root + "/playbooks/cluster.yml")
        let r = try SpawnedProcess.run(
            "/bin/sh",
            [
                "-c", "cd \"$1\" && exec \"$2\" cluster up -i \"$3\" --no-journal --output json", "sh", root + "/a/b",
                CapstanBinary.path, Self.inventory,
            ])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"name\": \"\(root)/playbooks/cluster.yml\""), "\(r.out)")
        #expect(r.out.contains("\"artifacts\": \"\(Self.inventoryDir)/artifacts/capstan\""))
    }
}
