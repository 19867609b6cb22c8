import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// Runs `capstan play` on the output fixtures (both hosts local) and compares its standard output
/// with what ansible-playbook printed for the same playbook; every recorded fixture playbook is
/// listed.
struct PlaybookOutputEndToEndTests {
    static let matching = [
        "checkmode", "debug", "diff", "failures", "handlers", "includes", "inventory_actions", "loops", "loopvar",
        "rescue", "status", "verbose",
    ]

    @Test(arguments: matching)
    func capstanPlayPrintsWhatAnsiblePrinted(_ name: String) throws {
        let fixtures = Fixtures.url("output").path
        let scratch = TestScratch.directory + "/capstan-output-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(scratch)/\(name)", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let extra = ((try? Fixtures.text("output/\(name).args")) ?? "").split(whereSeparator: \.isWhitespace).map(
            String.init)
        let arguments =
            [
                "play", "-i", "\(fixtures)/inventory.ini", "--forks", "1", "--no-journal", "-e",
                "dest_dir=\(scratch)/\(name)",
            ]
            + extra + ["\(fixtures)/\(name).yml"]
        let run = try CapstanBinary.run(arguments)
        let expected = try Fixtures.text("output/expected/\(name).stdout.txt")
        let text = Self.normalised(run.out, fixtures: fixtures, scratch: scratch)
        #expect(text == expected, "stderr: \(run.err)")
        if text != expected { Issue.record("\(firstDifference(text, expected))") }
    }

    /// The same normalisation Tests/oracles/output-expected.sh applies to Ansible's output.
    static func normalised(_ text: String, fixtures: String, scratch: String) -> String {
        var out = text.replacingOccurrences(of: fixtures + "/", with: "")
            .replacingOccurrences(of: scratch + "/", with: ".build/output-oracle/")
        for (key, fixed) in [
            ("delta", "0:00:00.000000"), ("start", "2000-01-01 00:00:00.000000"), ("end", "2000-01-01 00:00:00.000000"),
        ] {
            out = out.replacingOccurrences(
                of: "\"\(key)\": \"[^\"]*\"", with: "\"\(key)\": \"\(fixed)\"", options: .regularExpression)
        }
        return out
    }
}
