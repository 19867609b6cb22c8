import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanOutput

/// Replays the events ansible-playbook's callbacks received into `PlaybookTerminalOutput` and
/// compares its text with what Ansible's `default` callback printed in the same run.
struct PlaybookOutputOracleTests {
    @Test func enoughPlaybooksAreRecorded() {
        #expect(RecordedEvents.names().count >= 6)
    }

    @Test(arguments: RecordedEvents.names())
    func outputMatchesAnsible(_ name: String) throws {
        try compare(name, expectedFile: "\(name).stdout.txt", colour: false)
    }

    /// The runs Ansible repeated with ANSIBLE_FORCE_COLOR=1.
    @Test(arguments: ["status", "failures", "diff"])
    func colouredOutputMatchesAnsible(_ name: String) throws {
        try compare(name, expectedFile: "\(name).color.txt", colour: true)
    }

    func compare(_ name: String, expectedFile: String, colour: Bool) throws {
        let events = try RecordedEvents.load(name)
        let expected = try Fixtures.text("output/expected/\(expectedFile)")
        let args = (try? Fixtures.text("output/\(name).args")) ?? ""
        var options = PlaybookTerminalOutput.Options()
        options.verbosity = args.contains("-v") ? 1 : 0
        options.showDiff = args.contains("--diff")
        options.checkMode = args.contains("--check")
        options.readSource = { try? Fixtures.text("output/\($0)") }
        let text = try CapturedOutput.text { stream in
            let sink = PlaybookTerminalOutput(
                out: stream, style: TerminalStyle(enabled: colour), progress: nil, options: options)
            for event in events { sink.emit(event) }
        }
        #expect(text == expected)
        if text != expected { Issue.record("first difference:\n\(firstDifference(text, expected))") }
    }
}
