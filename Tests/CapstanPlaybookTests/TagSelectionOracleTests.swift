import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanPlaybook

/// `--list-tasks` / `--list-tags` with `--tags` and `--skip-tags`, against ansible-playbook's output for
/// the selections in Fixtures/playbook/selections.txt.
struct TagSelectionOracleTests {
    struct Selection: Sendable, CustomStringConvertible {
        var number: Int
        var playbook: String
        var only: Set<String>
        var skip: Set<String>
        var description: String { "\(number): \(playbook) --tags \(only.sorted()) --skip-tags \(skip.sorted())" }
    }

    static func selections() -> [Selection] {
        let path = PlaybookFixtures.root + "/selections.txt"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").enumerated().map { index, line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            func set(_ field: String) -> Set<String> { Set(field.split(separator: ",").map(String.init)) }
            return Selection(number: index + 1, playbook: fields[0], only: set(fields[1]), skip: set(fields[2]))
        }
    }

    @Test func selectionsExist() {
        #expect(Self.selections().count >= 8)
    }

    @Test(arguments: TagSelectionOracleTests.selections())
    func listingsMatchAnsible(_ s: Selection) throws {
        let playbook = try PlaybookFixtures.loadValid(s.playbook)
        let forTasks = TagSelection(only: s.only.isEmpty ? ["all"] : s.only, skip: s.skip)
        // Like ansible-playbook: --list-tags lists everything (never included) only when no tags were given.
        let forTags = s.only.isEmpty && s.skip.isEmpty ? TagSelection.everything : forTasks
        let tasks = try PlaybookFixtures.expected("selected/\(s.number).list-tasks.txt")
        let tags = try PlaybookFixtures.expected("selected/\(s.number).list-tags.txt")
        #expect(
            PlaybookOracleTests.normalised(PlaybookListing.listTasks(playbook, tags: forTasks))
                == PlaybookOracleTests.normalised(tasks))
        #expect(
            PlaybookOracleTests.normalised(PlaybookListing.listTags(playbook, tags: forTags))
                == PlaybookOracleTests.normalised(tags))
    }
}
