import CapstanTestSupport
import Foundation
import Testing

/// preflight on lab nodes: one table listing every problem on every node, a failed run, and
/// `preflight_ignore` to skip checks.
@Suite(.serialized) struct PreflightLabTests {
    /// Lines of the problem table the run printed (`debug` msg list items).
    static func tableRows(_ out: String) -> [String] {
        out.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("\"node-") || $0.hasPrefix("\"HOST") }
    }

    /// Runs on node-01 and node-02 only (`--limit`): a shared test lab may have more nodes.
    @Test func everyProblemInOneTableThenIgnored() throws {
        let nodes = try LabNodes.up(2)
        // Something that is not Kubernetes on the kubelet's port of the worker.
        let port = try LabNodes.exec(
            nodes[1],
            """
            systemctl stop capstan-test-port >/dev/null 2>&1
            systemd-run -q --unit=capstan-test-port python3 -m http.server 10250 &&
            for i in $(seq 50); do ss -Htln | grep -q ':10250 ' && exit 0; sleep 0.1; done; exit 1
            """)
        #expect(port.status == 0, "\(port.output)")
        defer { _ = try? LabNodes.exec(nodes[1], "systemctl stop capstan-test-port") }

        // An inventory whose first control plane has an address nobody answers on.
        let lab = try String(contentsOfFile: LabNodes.inventoryPath, encoding: .utf8)
        let dead = "ip=\(LabNodes.subnet).250"
        let broken = lab.replacingOccurrences(of: "ip=\(nodes[0].address)\n", with: dead + "\n")
        #expect(broken != lab)
        let inventory = TestScratch.directory + "/capstan-preflight-\(UUID().uuidString).ini"
        try broken.write(toFile: inventory, atomically: true, encoding: .utf8)
        defer { unlink(inventory) }

        let failed = try ClusterPlay.text([
            "-i", inventory, "--known-hosts", LabNodes.knownHostsPath, "--limit", "node-01,node-02", "-e",
            "preflight_min_memory_mb=100000000",
            ClusterPlay.fixture("prep/preflight.yml"),
        ])
        #expect(failed.status == 2, "\(failed.out)\n\(failed.err)")
        let rows = Self.tableRows(failed.out)
        #expect(rows.first?.hasPrefix("\"HOST") == true, "\(failed.out)")
        #expect(rows.contains { $0.contains("node-01") && $0.contains("memory") && $0.contains(">= 100000000 MB") })
        #expect(rows.contains { $0.contains("node-02") && $0.contains("ports") && $0.contains("10250 (python3)") })
        #expect(
            rows.contains { $0.contains("node-02") && $0.contains("api_reachable") && $0.contains(dead.dropFirst(3)) })
        #expect(rows.count == 4, "\(rows)")
        #expect(failed.out.contains("3 preflight problem(s) on 2 node(s)"))

        // The same run passes once those checks are ignored, and the real inventory passes as is
        // (6443 on the first control plane refuses: reachable, nothing listens before init).
        let ignored = try ClusterPlay.text([
            "-i", inventory, "--known-hosts", LabNodes.knownHostsPath, "--limit", "node-01,node-02", "-e",
            #"{"preflight_min_memory_mb": 100000000, "preflight_ignore": ["memory", "ports", "api_reachable"]}"#,
            ClusterPlay.fixture("prep/preflight.yml"),
        ])
        #expect(ignored.status == 0, "\(ignored.out)\n\(ignored.err)")
        _ = try LabNodes.exec(nodes[1], "systemctl stop capstan-test-port")
        let clean = try ClusterPlay.play("prep/preflight.yml", ["--limit", "node-01,node-02"])
        #expect(clean.status == 0, "\(clean.out)\n\(clean.err)")

        // A node that cannot be reached is a row of its own; the run fails and is unreachable (6).
        #expect(try LabNodes.exec(nodes[1], "systemctl stop ssh").status == 0)
        defer { _ = try? LabNodes.exec(nodes[1], "systemctl start ssh") }
        let lost = try ClusterPlay.text([
            "-i", LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath, "--limit", "node-01,node-02",
            ClusterPlay.fixture("prep/preflight.yml"),
        ])
        #expect(lost.status == 6, "\(lost.out)\n\(lost.err)")
        #expect(Self.tableRows(lost.out).contains { $0.contains("node-02") && $0.contains("reachable  not probed") })
    }
}
