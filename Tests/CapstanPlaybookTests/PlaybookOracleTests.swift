import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanPlaybook

/// Compares the listings with what ansible-playbook printed for the same fixture playbooks.
struct PlaybookOracleTests {
    @Test func corpusIsLargeEnough() {
        #expect(PlaybookFixtures.names("valid").count >= 15)
        #expect(PlaybookFixtures.names("malformed").count >= 12)
    }

    @Test(arguments: PlaybookFixtures.names("valid"))
    func listTasksMatchesAnsible(_ name: String) throws {
        let playbook = try PlaybookFixtures.loadValid(name)
        let expected = try PlaybookFixtures.expected("valid/\(name).list-tasks.txt")
        #expect(Self.normalised(PlaybookListing.listTasks(playbook)) == Self.normalised(expected))
    }

    @Test(arguments: PlaybookFixtures.names("valid"))
    func listTagsMatchesAnsible(_ name: String) throws {
        let playbook = try PlaybookFixtures.loadValid(name)
        let expected = try PlaybookFixtures.expected("valid/\(name).list-tags.txt")
        #expect(Self.normalised(PlaybookListing.listTags(playbook)) == Self.normalised(expected))
    }

    @Test(arguments: PlaybookFixtures.names("valid"))
    func syntaxCheckMatchesAnsible(_ name: String) throws {
        let playbook = try PlaybookFixtures.loadValid(name)
        let expected = try PlaybookFixtures.expected("valid/\(name).syntax-check.txt")
        #expect(PlaybookListing.syntaxCheck(playbook) == expected)
    }

    /// Ansible prints a play's own tags from a Python set, in hash order: sort them on both sides.
    static func normalised(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("  play #"), let open = line.range(of: "\tTAGS: [", options: .backwards) else {
                return String(line)
            }
            let list = line[open.upperBound...].dropLast()
            let sorted = list.split(separator: ",").map(String.init).sorted().joined(separator: ",")
            return line[..<open.upperBound] + sorted + "]"
        }.joined(separator: "\n")
    }
}
