import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// Runs the built `capstan inventory` binary: output on stdout, `FILE:LINE:COL: message` and exit 65
/// on bad input, `[WARNING]:` lines on stderr.
struct InventoryCommandTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let result = try CapstanBinary.run(["inventory"] + arguments)
        return (result.status, result.out, result.err)
    }

    @Test func listPrintsAnsibleJSON() throws {
        let seed = InventoryFixtures.source("hosts.ini", case: "seed")
        let result = try Self.run(["-i", seed, "--list"])
        #expect(result.status == 0)
        let oracle = try InventoryFixtures.expected("cases.json").first { $0["name"] == "seed" }
        #expect(result.out == (oracle?["list"] ?? .null).json(.nice) + "\n")
        #expect(result.err.hasPrefix("[WARNING]: "))
    }

    @Test func badInputExitsWithALocation() throws {
        let bad = InventoryFixtures.root.appendingPathComponent("errors/unknown-section.ini").path
        let result = try Self.run(["-i", bad, "--graph"])
        #expect(result.status == 65)
        #expect(result.out.isEmpty)
        #expect(result.err == "\(bad):4:4: Section [g:foo] has unknown type: foo; expected hosts, children or vars\n")
    }

    @Test func unknownHostIsAnErrorNotACrash() throws {
        let seed = InventoryFixtures.source("hosts.ini", case: "seed")
        let result = try Self.run(["-i", seed, "--host", "nope"])
        #expect(result.status == 65)
        #expect(result.err.contains("ERROR: You must pass a single valid host to --host parameter"))
    }
}
