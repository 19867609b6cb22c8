import CapstanModules
import CapstanTestSupport
import CapstanTransport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// Both gatherers live on a lab node: Capstan's `FactGatherer` over SSH and the venv's
/// `ansible -m setup`, compared fact by fact (`AnsibleFactComparison`); then the wall time of a
/// gather on an open connection, which must stay far below Ansible's.
@Suite(.serialized) struct LiveFactOracleTests {
    /// Ansible's `setup` facts for `node` and how long the whole `ansible` command took.
    static func ansibleSetup(_ node: LabNodes.Node) throws -> (Value, Duration) {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-setup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        let ansible = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/ansible").path
        let start = ContinuousClock.now
        let (status, output) = try run(
            [
                ansible, node.name, "-i", LabNodes.inventoryPath, "-m", "setup", "-t", tree.path,
                "--ssh-extra-args=-o UserKnownHostsFile=\(LabNodes.knownHostsPath) -o StrictHostKeyChecking=yes",
            ],
            environment: ["ANSIBLE_PYTHON_INTERPRETER": "auto_silent", "ANSIBLE_DEPRECATION_WARNINGS": "False"])
        let elapsed = ContinuousClock.now - start
        guard status == 0 else { throw LabNodes.LabError(message: "ansible -m setup failed:\n\(output)") }
        let json = try String(contentsOf: tree.appendingPathComponent(node.name), encoding: .utf8)
        return (try Value(jsonText: json)["ansible_facts"] ?? .null, elapsed)
    }

    /// Runs a program to completion; its status and its output and error together.
    static func run(_ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // A file, not a pipe: ssh's ControlPersist master outlives the command and holds its output open.
        let log = TestScratch.directory + "/capstan-ansible-\(UUID().uuidString).log"
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: log) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    @Test func factsMatchAnsibleOnLabNode() async throws {
        let node = try LabNodes.up(1)[0]
        let connection = SSHConnection(endpoint: node.endpoint)
        try await connection.connect()
        let facts = try await FactGatherer().gather(on: connection)
        let (ansible, ansibleTime) = try Self.ansibleSetup(node)
        var timings: [Duration] = []
        for _ in 0..<7 {
            let start = ContinuousClock.now
            _ = try await FactGatherer().gather(on: connection)
            timings.append(ContinuousClock.now - start)
        }
        await connection.close()

        let differences = AnsibleFactComparison.differences(ours: facts.ansibleFacts, ansible: ansible.dictValue ?? [:])
        #expect(differences.isEmpty, "\(node.name):\n\(differences.joined(separator: "\n"))")
        #expect(facts.ansibleFacts.count >= 40)
        #expect(facts.system?.nodename == node.name)
        #expect(facts.network?.allIPv4Addresses == [node.address])

        let median = timings.sorted()[timings.count / 2]
        print(
            "facts: gather all on \(node.name): median \(median), min \(timings.min()!), max \(timings.max()!); "
                + "ansible -m setup (whole command): \(ansibleTime)")
    }

    @Test func setupModuleFiltersAndSubsets() async throws {
        let node = try LabNodes.up(1)[0]
        let connection = SSHConnection(endpoint: node.endpoint)
        try await connection.connect()
        let context = ModuleContext(host: node.name, connection: connection)
        let registry = ModuleRegistry.standard
        let filtered = try await registry.instantiate(
            "ansible.builtin.setup", arguments: ["filter": ["ansible_distribution*", "eth0"]]
        ).run(in: context)
        let minimal = try await registry.instantiate("gather_facts", arguments: ["gather_subset": "!hardware"])
            .run(in: context)
        await connection.close()

        #expect(filtered.status == .ok && filtered.fields["changed"] == false)
        let names = filtered.fields["ansible_facts"]?.dictValue?.keys.sorted() ?? []
        #expect(
            names == [
                "ansible_distribution", "ansible_distribution_major_version", "ansible_distribution_minor_version",
                "ansible_distribution_release", "ansible_distribution_version", "ansible_eth0",
            ])
        let minimalFacts = minimal.fields["ansible_facts"]?.dictValue ?? [:]
        #expect(minimalFacts["ansible_hostname"] != nil && minimalFacts["ansible_memtotal_mb"] == nil)
        #expect(minimalFacts["ansible_interfaces"] == nil && minimalFacts["gather_subset"] == ["!hardware"])
        #expect(throws: ModuleArgumentError.self) {
            try registry.instantiate("setup", arguments: ["gather_subset": ["hardware", "bogus"]])
        }
    }
}
