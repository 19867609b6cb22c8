import CapstanTestSupport
import Foundation
import Testing

/// `playbooks/groups.yml` maps Kubespray's and the seeds' alias groups onto the canonical ones; the
/// fixture's assertions must hold under Capstan and under ansible-playbook (the oracle), with and
/// without `--limit` (add-node limits the run to the new nodes).
@Suite struct GroupsPlaybookTests {
    static let inventory = ClusterPlay.fixture("groups/hosts.ini")
    static let book = ClusterPlay.fixture("groups/check.yml")

    @Test(arguments: [[], ["--limit", "w-2"]])
    func canonicalGroupsUnderCapstan(limit: [String]) throws {
        let r = try ClusterPlay.text(["-i", Self.inventory] + limit + [Self.book])
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("failed=0"))
        #expect(!r.out.contains("skipping: no hosts matched"), "\(r.out)")
    }

    @Test(arguments: [[], ["--limit", "w-2"]])
    func canonicalGroupsUnderAnsible(limit: [String]) throws {
        let r = try ClusterPlay.ansible(["-i", Self.inventory] + limit + [Self.book])
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
    }

    /// A misspelt control-plane group stops every host in groups.yml, naming the inventory's groups,
    /// before any later play runs: under Capstan and under ansible-playbook alike.
    @Test(arguments: [false, true])
    func noControlPlaneStopsEveryHostAtOnce(ansible: Bool) throws {
        let marker = TestScratch.directory + "/capstan-no-control-plane-\(UUID().uuidString)"
        defer {
            for host in ["cp-0", "w-1"] { try? FileManager.default.removeItem(atPath: marker + "-" + host) }
        }
        let arguments = [
            "-i", ClusterPlay.fixture("groups-misspelt/hosts.ini"), "-e", "marker=\(marker)",
            ClusterPlay.fixture("groups-misspelt/site.yml"),
        ]
        let r = try ansible ? ClusterPlay.ansible(arguments) : ClusterPlay.text(arguments)
        #expect(r.status == 2, "\(r.out)\n\(r.err)")
        #expect(r.out.contains("The inventory has no control-plane host"), "\(r.out)")
        #expect(r.out.contains("groups are: k8s_cluster, kube-mastr, kube-node, kube_node."), "\(r.out)")
        for host in ["cp-0", "w-1"] { #expect(!FileManager.default.fileExists(atPath: marker + "-" + host)) }
    }

    /// A role's `copy: src=NAME` in a task file it imports finds `files/NAME` of the role (an engine
    /// fix made for container-runtime: modules were given only the working directory to search).
    @Test func copySourceFromRoleFiles() throws {
        let dir = TestScratch.directory + "/capstan-role-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ClusterPlay.text([
            "-i", ClusterPlay.fixture("role-files/hosts.ini"), "-e", "dest=\(dir)/hello.txt",
            ClusterPlay.fixture("role-files/site.yml"),
        ])
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
        let copied = try String(contentsOfFile: dir + "/hello.txt", encoding: .utf8)
        #expect(copied == "hello from the copier role\n")
    }
}
