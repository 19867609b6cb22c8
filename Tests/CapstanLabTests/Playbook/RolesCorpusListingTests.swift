import CapstanTestSupport
import Foundation
import Testing

/// The compatibility corpus of Galaxy-style roles (`Tests/difftest/roles.yml`, run live by the
/// differential test) listed by both tools: `--syntax-check`, `--list-tasks` and `--list-tags` must
/// print the same, byte for byte, and `--list-tasks` under tag selections too.
struct RolesCorpusListingTests {
    static let corpus = Fixtures.packageRoot.appendingPathComponent("Tests/difftest").path

    @Test(arguments: [
        ["--syntax-check"], ["--list-tasks"], ["--list-tags"], ["--list-tasks", "--tags", "sites"],
        ["--list-tasks", "--skip-tags", "sites"],
    ])
    func listingMatchesAnsible(_ arguments: [String]) throws {
        let dir = TestScratch.directory + "/capstan-roles-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[target]\nnode ansible_connection=local\n".write(
            toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
        let common = ["-i", "\(dir)/hosts.ini"] + arguments + ["\(Self.corpus)/roles.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(theirs.status == 0, "ansible-playbook: \(theirs.out)\(theirs.err)")
        #expect(ours.status == theirs.status, "\(arguments): \(ours.err)")
        #expect(ours.out == theirs.out, "\(arguments)")
    }
}
