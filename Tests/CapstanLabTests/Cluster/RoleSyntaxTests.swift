import Foundation
import Testing

/// The prep roles (preflight, node-prep, container-runtime with both runtimes) pass both engines'
/// syntax checks, and Capstan lists the same tasks as ansible-playbook.
@Suite struct RoleSyntaxTests {
    static let book = ClusterPlay.fixture("prep/syntax.yml")
    static let inventory = ClusterPlay.fixture("groups/hosts.ini")

    @Test(arguments: ["--syntax-check", "--list-tasks"])
    func sameAsAnsible(listing: String) throws {
        let capstan = try ClusterPlay.text(["-i", Self.inventory, listing, Self.book])
        let ansible = try ClusterPlay.ansible(["-i", Self.inventory, listing, Self.book])
        #expect(ansible.status == 0, "\(ansible.err)")
        #expect(capstan.status == 0, "\(capstan.err)")
        #expect(capstan.out == ansible.out)
        if listing == "--list-tasks" {
            #expect(capstan.out.contains("container-runtime : Install Docker Engine"))
            #expect(capstan.out.contains("node-prep : Mask swap.target and every swap unit"))
        }
    }
}
