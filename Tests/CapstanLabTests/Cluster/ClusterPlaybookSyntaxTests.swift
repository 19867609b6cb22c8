import CapstanTestSupport
import Foundation
import Testing

/// The shipped cluster playbooks pass ansible-playbook's syntax check and Capstan's, and Capstan lists
/// the same tasks as ansible-playbook (remove-node.yml's templated host pattern aside: Capstan
/// prints it untemplated).
@Suite struct ClusterPlaybookSyntaxTests {
    static let inventory = ClusterPlay.fixture("groups/hosts.ini")
    static func playbook(_ name: String) -> String {
        Fixtures.packageRoot.appendingPathComponent("playbooks/\(name).yml").path
    }

    @Test(arguments: ["cluster", "add-node", "remove-node", "upgrade", "reset"])
    func syntaxCheck(name: String) throws {
        let ansible = try ClusterPlay.ansible(["-i", Self.inventory, "--syntax-check", Self.playbook(name)])
        let capstan = try ClusterPlay.text(["-i", Self.inventory, "--syntax-check", Self.playbook(name)])
        #expect(ansible.status == 0, "\(ansible.err)")
        #expect(capstan.status == 0, "\(capstan.err)")
    }

    @Test(arguments: ["cluster", "add-node", "upgrade", "reset"])
    func sameTasksAsAnsible(name: String) throws {
        let ansible = try ClusterPlay.ansible(["-i", Self.inventory, "--list-tasks", Self.playbook(name)])
        let capstan = try ClusterPlay.text(["-i", Self.inventory, "--list-tasks", Self.playbook(name)])
        #expect(ansible.status == 0, "\(ansible.err)")
        #expect(capstan.out == ansible.out)
        #expect(!capstan.out.isEmpty)
    }
}
