import CapstanTestSupport
import Foundation
import Testing

/// Modules Capstan does not implement, run over SSH on lab nodes (Fixtures/module-resolution/lab.yml):
/// Capstan on one fresh node and ansible-playbook 2.19 on another must show the same statuses and
/// messages, leave the same file, and agree on a second run; a node without the Python it is told
/// to use fails such a task with a clear message.
@Suite(.serialized) struct ModuleFallbackLabTests {
    static let fixture = Fixtures.url("module-resolution").path
    static let venvPython = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python").path

    /// An inventory naming `node` as `target`, with the lab's key and known hosts.
    static func inventory(_ node: LabNodes.Node, extra: String = "") throws -> String {
        let path = TestScratch.directory + "/capstan-fallback-\(node.name)-\(UUID().uuidString).ini"
        let text = """
            target ansible_host=\(node.address) ansible_user=root ansible_ssh_private_key_file=\(node.lab.keyPath) \
            ansible_python_interpreter=/usr/bin/python3 \
            ansible_ssh_common_args='-o UserKnownHostsFile=\(node.lab.knownHostsPath) -o StrictHostKeyChecking=yes' \(extra)

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func capstan(_ inventory: String) throws -> (status: Int32, out: String, err: String, seconds: Double) {
        try CapstanBinary.run(
            ["play", "--no-journal", "-i", inventory, fixture + "/lab.yml"],
            environment: ["CAPSTAN_ANSIBLE_PYTHON": venvPython])
    }

    static func summary(_ out: String) -> [String] {
        RoleArgumentSpecOracleTests.summary(out.replacingOccurrences(of: "target ", with: "localhost "))
    }

    @Test func capstanAndAnsibleLeaveTheSameNodes() throws {
        let nodes = try LabNodes.fresh(2, lab: .second)
        let ours = try Self.inventory(nodes[0])
        let theirs = try Self.inventory(nodes[1])
        let capstan = try Self.capstan(ours)
        let ansible = try RoleArgumentSpecOracleTests.ansiblePlaybook(["-i", theirs, Self.fixture + "/lab.yml"])
        #expect(capstan.status == ansible.status, "\(capstan.out)\(capstan.err)")
        #expect(Self.summary(capstan.out) == Self.summary(ansible.out))
        #expect(Self.summary(ansible.out).contains("fatal: x,0,0,root,/root,/bin/bash /root"))
        #expect(Self.summary(ansible.out).contains("fatal: change True"))
        let file = "cat /root/capstan_known_hosts; stat -c '%a %U' /root/capstan_known_hosts"
        let left = try LabNodes.exec(nodes[0], file)
        let right = try LabNodes.exec(nodes[1], file)
        #expect(left.output == right.output && left.status == 0, "\(left.output) vs \(right.output)")
        // Nothing of the payload stays on the node.
        #expect(try LabNodes.exec(nodes[0], "ls -d /tmp/capstan-module.* 2>/dev/null | wc -l").output.hasPrefix("0"))
        let again = try Self.capstan(ours)
        let ansibleAgain = try RoleArgumentSpecOracleTests.ansiblePlaybook(["-i", theirs, Self.fixture + "/lab.yml"])
        #expect(Self.summary(again.out) == Self.summary(ansibleAgain.out))
        #expect(Self.summary(again.out).last?.contains("changed=1") == true, "\(again.out)")
    }

    @Test func withoutPythonOnTheNodeTheTaskFailsClearly() throws {
        let nodes = try LabNodes.up(1, lab: .second)
        let inventory = try Self.inventory(nodes[0], extra: "ansible_python_interpreter=/usr/bin/python3-missing")
        let run = try Self.capstan(inventory)
        #expect(run.status == 2)
        #expect(
            run.out.contains(
                "running Ansible's needs Python on the node: ansible_python_interpreter '/usr/bin/python3-missing' "
                    + "was not found"))
        // The first such task fails the host, as any failing task does.
        #expect(run.out.contains("fatal: [target]: FAILED!"))
        #expect(!run.out.contains("TASK [probe : its result]"))
    }
}
