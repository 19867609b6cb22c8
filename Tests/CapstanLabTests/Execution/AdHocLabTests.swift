import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// `capstan ping` and `capstan run` against real lab nodes, through the built binary.
@Suite(.serialized) struct AdHocLabTests {
    static func common(_ pattern: String) -> [String] {
        ["-i", LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath, pattern]
    }

    @Test func runShowsEachHostsOwnOutputAnsibleStyle() throws {
        let nodes = try LabNodes.up(3)
        let result = try CapstanBinary.run(
            ["run"] + Self.common("lab") + ["-m", "shell", "-a", "hostname; echo oops >&2"])
        #expect(result.status == 0, "\(result.err)")
        for node in nodes {
            #expect(result.out.contains("\(node.name) | CHANGED | rc=0 >>\n\(node.name)oops\n"), "\(result.out)")
        }
    }

    @Test func failedCommandExitsTwoAndSaysWhy() throws {
        _ = try LabNodes.up(3)
        let result = try CapstanBinary.run(["run"] + Self.common("node-02") + ["-a", "ls /no/such/path"])
        #expect(result.status == 2)
        #expect(result.out.hasPrefix("node-02 | FAILED | rc=2 >>\n"))
        #expect(result.out.contains("non-zero return code"))
    }

    @Test func jsonOutputIsOneEventPerLine() throws {
        _ = try LabNodes.up(3)
        let result = try CapstanBinary.run(["ping"] + Self.common("lab") + ["--output", "json"])
        #expect(result.status == 0, "\(result.err)")
        let events = try result.out.split(separator: "\n").map { try Value(jsonText: String($0)) }
        #expect(events.first?["event"] == "run_start")
        #expect(events.last?["event"] == "recap")
        let pongs = events.filter { $0["event"] == "host_result" && $0["result"]?["ping"] == "pong" }
        #expect(pongs.count == 3)
    }

    @Test func aNodeWithSshdStoppedIsUnreachableQuicklyAndTheOthersStillRun() throws {
        let nodes = try LabNodes.up(3)
        try LabNodes.exec(nodes[2], "systemctl stop ssh.socket ssh.service")
        defer { _ = try? LabNodes.exec(nodes[2], "systemctl start ssh.service") }
        let result = try CapstanBinary.run(["run"] + Self.common("lab") + ["-a", "true", "--timeout", "5"])
        #expect(result.status == 4, "\(result.out)\(result.err)")
        #expect(result.out.contains("node-03 | UNREACHABLE! => {"))
        #expect(result.out.contains("connection refused"))
        #expect(result.out.contains("node-01 | CHANGED | rc=0 >>"))
        #expect(result.out.contains("node-02 | CHANGED | rc=0 >>"))
        #expect(result.seconds < 20)
    }

    @Test func noMatchingHostIsNotASilentSuccess() throws {
        _ = try LabNodes.up(3)
        let result = try CapstanBinary.run(["run"] + Self.common("no-such-group") + ["-a", "true"])
        #expect(result.status == 8)
        #expect(result.err.contains("no hosts matched"))
    }
}
