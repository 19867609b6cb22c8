import Foundation
import Testing

@testable import CapstanEngine

/// Replays the events ansible-playbook's callbacks received into `PlaybookTerminalOutput` and
/// compares its text with what Ansible's `default` callback printed in the same run.
struct PlaybookOutputOracleTests {
    @Test func enoughPlaybooksAreRecorded() {
        #expect(RecordedEvents.names().count >= 6)
    }

    @Test(arguments: RecordedEvents.names())
    func outputMatchesAnsible(_ name: String) throws {
        let events = try RecordedEvents.load(name)
        let expected = try Fixtures.text("output/expected/\(name).stdout.txt")
        let args = (try? Fixtures.text("output/\(name).args")) ?? ""
        var options = PlaybookTerminalOutput.Options()
        options.verbosity = args.contains("-v") ? 1 : 0
        options.showDiff = args.contains("--diff")
        options.checkMode = args.contains("--check")
        options.readSource = { try? Fixtures.text("output/\($0)") }
        let text = try CapturedOutput.text { stream in
            let sink = PlaybookTerminalOutput(out: stream, style: TerminalStyle(enabled: false), progress: nil, options: options)
            for event in events { sink.emit(event) }
        }
        #expect(text == expected)
        if text != expected { Issue.record("first difference:\n\(Self.firstDifference(text, expected))") }
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<none>"
            let y = i < lb.count ? String(lb[i]) : "<none>"
            if x != y { return "line \(i + 1)\n  capstan: \(x)\n  ansible: \(y)" }
        }
        return "none"
    }
}
