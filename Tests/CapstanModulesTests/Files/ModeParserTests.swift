import CapstanModules
import CapstanTestSupport
import Foundation
import Testing

/// Symbolic modes against Ansible's `_symbolic_mode_to_octal` (Fixtures/files/modes-expected.json,
/// written by Tests/oracles/modes-expected.py), and the int/octal-string rules of `mode:`.
@Suite struct ModeParserTests {
    struct Row: Decodable {
        var mode: String
        var start: UInt32
        var isdir: Bool
        var result: UInt32?
    }

    static let rows: [Row] = try! JSONDecoder().decode(
        [Row].self, from: Data(contentsOf: Fixtures.url("files/modes-expected.json")))

    @Test func symbolicModesMatchAnsible() {
        #expect(Self.rows.count > 100)
        for row in Self.rows {
            let ours = try? ModeParser.apply(row.mode, to: row.start, isDirectory: row.isdir, umask: 0o022)
            #expect(ours == row.result, "\(row.mode) on \(String(row.start, radix: 8)) dir=\(row.isdir)")
        }
    }

    @Test func intModeIsTheNumberItselfAsAnsibleTakesIt() throws {
        // An unquoted YAML `644` is decimal 644, i.e. 0o1204: Ansible applies exactly that.
        #expect(try FileMode.parse(.int(644)) == .absolute(0o1204))
        #expect(try FileMode.parse(.int(0o644)) == .absolute(0o644))
        #expect(try FileMode.parse(.string("644")) == .absolute(0o644))
        #expect(try FileMode.parse(.string("0755")) == .absolute(0o755))
        #expect(try FileMode.parse(.string("u=rw")) == .symbolic("u=rw"))
    }

    @Test func badModesAreRefusedWithAnsiblesMessages() {
        #expect(throws: FileMode.ParseError(description: "mode must be in octal or symbolic form")) {
            try FileMode.parse(.string("u=rwq"))
        }
        #expect(throws: FileMode.ParseError(description: "bad symbolic permission for mode: u=rwq")) {
            try ModeParser.apply("u=rwq", to: 0o644, isDirectory: false, umask: 0o022)
        }
        #expect(throws: FileMode.ParseError(description: "Invalid mode supplied, only permission info is allowed")) {
            try FileMode.parse(.string("177777"))
        }
        #expect(throws: FileMode.ParseError.self) { try FileMode.parse(.list([])) }
    }

    @Test func formatIsZeroPaddedOctal() {
        #expect(ModeParser.format(0o644) == "0644")
        #expect(ModeParser.format(0o7) == "0007")
        #expect(ModeParser.format(0o4755) == "04755")
    }
}
