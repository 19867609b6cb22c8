import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// Splitting and quoting checked against Python's shlex (Tests/oracles/shellwords-expected.py).
@Suite struct ShellWordsTests {
    struct Case: Decodable {
        let text: String
        let words: [String]?
        let commented: [String]?
        let quoted: [String]
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: Fixtures.url("modules/shellwords-expected.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    @Test(arguments: cases.indices)
    func matchesShlex(index: Int) {
        let c = Self.cases[index]
        let words = try? ShellWords.split(c.text)
        #expect(words == c.words, "text: \(c.text.debugDescription)")
        #expect((try? ShellWords.split(c.text, comments: true)) == c.commented, "comments: \(c.text.debugDescription)")
        #expect((words ?? []).map(ShellWords.quote) == c.quoted)
    }

    @Test func quotedWordsSplitBackToThemselves() throws {
        let words = ["a b", "it's", "", "$HOME", "x\"y", "plain"]
        #expect(try ShellWords.split(ShellWords.join(words)) == words)
    }
}
