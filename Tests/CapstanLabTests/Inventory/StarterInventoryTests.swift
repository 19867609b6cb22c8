import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanInventory

/// `capstan init`: the starting inventory reads the same in Capstan and in ansible-inventory, holds
/// the hosts asked for in Kubespray's groups, and existing files are never overwritten without --force.
@Suite struct StarterInventoryTests {
    static func temporaryDirectory() -> String {
        TestScratch.directory + "/capstan-init-\(UUID().uuidString)"
    }

    @Test func initWritesAnInventoryAnsibleAndCapstanReadAlike() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try CapstanBinary.run([
            "init", "--control-planes", "3", "--workers", "2", "--addresses", "10.0.0.1,10.0.0.2", "--dir", directory,
        ])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("wrote \(directory)/hosts.ini") && run.out.contains("group_vars/all.yml"))
        var warnings: [Warning] = []
        let inventory = try Inventory.load(sources: [directory + "/hosts.ini"], warnings: &warnings)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(inventory.group(named: "kube_control_plane")?.hosts.count == 3)
        #expect(inventory.group(named: "kube_node")?.hosts == ["worker-1", "worker-2"])
        #expect(try inventory.hosts(matching: "k8s_cluster", warnings: &warnings).count == 5)
        let first = inventory.variables(for: Host(name: "control-plane-1"))
        #expect(first["ansible_host"] == "10.0.0.1" && first["ansible_user"] == "root")
        #expect(first["cluster_name"] == "capstan", "group_vars/all.yml beside the inventory")
        #expect(inventory.variables(for: Host(name: "control-plane-3"))["ansible_host"] == "192.0.2.12")

        // ansible-inventory reads the same inventory.
        let ansible = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/ansible-inventory").path
        let oracle = try SpawnedProcess.run(ansible, ["-i", directory + "/hosts.ini", "--list"])
        #expect(oracle.status == 0, "\(oracle.err)")
        #expect(!oracle.err.contains("WARNING"), "\(oracle.err)")
        let ours = try CapstanBinary.run(["inventory", "-i", directory + "/hosts.ini", "--list"])
        #expect(try Value(jsonText: ours.out) == Value(jsonText: oracle.out))
    }

    @Test func initRefusesToOverwriteWithoutForce() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "mine\n".write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
        let refused = try CapstanBinary.run(["init", "--dir", directory])
        #expect(refused.status == 64 && refused.err.contains("already exists; nothing written"), "\(refused.err)")
        #expect(try String(contentsOfFile: directory + "/hosts.ini", encoding: .utf8) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/group_vars/all.yml"))
        let forced = try CapstanBinary.run(["init", "--dir", directory, "--force", "--workers", "0"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: directory + "/hosts.ini", encoding: .utf8).contains("[kube_control_plane]"))
    }

    @Test func impossibleStartersAreRefused() {
        #expect(throws: StarterInventory.Problem.self) { try StarterInventory(controlPlanes: 0, workers: 2).files() }
        #expect(throws: StarterInventory.Problem.self) {
            try StarterInventory(controlPlanes: 1, workers: 0, addresses: ["a", "b"]).files()
        }
        #expect(throws: StarterInventory.Problem.self) {
            try StarterInventory(controlPlanes: 1, workers: 0, addresses: ["a b"]).files()
        }
    }
}
