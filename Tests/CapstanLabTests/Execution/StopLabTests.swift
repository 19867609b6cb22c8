import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTransport

/// How runs stop on the lab: a task's `timeout:`, SIGINT and SIGTERM. Nothing may be left on the nodes
/// (no process, no resident shell's directory), and secrets never reach a command line.
extension PlaybookLabTests {
    @Suite struct Stopping {
        /// Whether a process whose command line is exactly `command` runs on `node`.
        static func running(_ command: String, on node: LabNodes.Node) throws -> Bool {
            try LabNodes.exec(node, "ps -eo args").output.split(separator: "\n").contains { $0 == command }
        }

        /// Whether `command` is gone from `node` within five seconds: the kill Capstan sent before it
        /// ended may still be finishing on a loaded node (sudo's start-up), but it was sent.
        static func gone(_ command: String, from node: LabNodes.Node) throws -> Bool {
            for _ in 0..<50 {
                if try !running(command, on: node) { return true }
                usleep(100_000)
            }
            return false
        }

        /// The resident shells' directories on `node`.
        static func shellDirectories(on node: LabNodes.Node) throws -> Set<String> {
            Set(
                try LabNodes.exec(node, "ls -d /tmp/capstan-rs.* 2>/dev/null; true").output.split(separator: "\n").map(
                    String.init))
        }

        /// The shell directories on `node` beyond `before` (other tests' sessions may still be closing)
        /// that are still there after five seconds, each with its `pid` file and whether that process
        /// lives; empty when none is left.
        static func shellDirectoriesLeft(on node: LabNodes.Node, besides before: Set<String>) throws -> String {
            var left = Set<String>()
            for _ in 0..<50 {
                left = try shellDirectories(on: node).subtracting(before)
                if left.isEmpty { return "" }
                usleep(100_000)
            }
            return try left.sorted().map { directory in
                let quoted = ShellWords.singleQuoted(directory)
                let detail = try LabNodes.exec(
                    node,
                    "ls -la \(quoted); p=$(cat \(quoted)/pid); echo \"pid $p\"; ps -o pid,pgid,args -p \"$p\"; true")
                return "\(node.name) \(directory):\n\(detail.output)"
            }.joined(separator: "\n")
        }

        @Test func taskTimeoutKillsTheCommandAndFailsWithinTheLimit() throws {
            let node = try LabNodes.up(3)[0]
            let before = try Self.shellDirectories(on: node)
            let run = try PlayHarness.play("timeout.yml")
            #expect(run.status == 0, "\(run.out)\(run.err)")
            for task in ["too slow", "too slow as root"] {
                let result = run.results(task).first
                #expect(result?["result"]?["msg"] == "The task execution exceeded the timeout of 2 seconds.")
                var milliseconds = 99_999.0
                switch result?["duration_ms"] {
                case .float(let value)?: milliseconds = value
                case .int(let value)?: milliseconds = Double(value)
                default: break
                }
                #expect(milliseconds < 3000, "\(task) took \(milliseconds) ms")
            }
            #expect(run.hosts("after") == ["node-01"])
            #expect(try Self.gone("sleep 97.123", from: node))
            // Under become the kill itself goes through sudo and may still be running when the session
            // closes: red when a closing session killed its own kills.
            let killedAsRoot = try Self.gone("sleep 97.124", from: node)
            let processes = killedAsRoot ? "" : try LabNodes.exec(node, "ps -eo pid,ppid,pgid,sid,args").output
            #expect(killedAsRoot, "\(processes)\n\(run.out)\(run.err)")
            let left = try Self.shellDirectoriesLeft(on: node, besides: before)
            #expect(left.isEmpty, "\(left)")
        }

        @Test(arguments: [SIGINT, SIGTERM])
        func signalStopsTheRunKillsItsCommandsAndClosesTheJournalRun(signal: Int32) throws {
            let nodes = try LabNodes.up(3)
            for node in nodes { try LabNodes.exec(node, "rm -f /tmp/capstan-after-interrupt") }
            let before = try nodes.map { try Self.shellDirectories(on: $0) }
            let journal = TestScratch.directory + "/capstan-interrupt-\(UUID().uuidString).sqlite"
            defer { CapstanBinary.removeJournal(at: journal) }
            let run = try BackgroundCapstan(
                [
                    "play", "-i", LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath, "--journal",
                    journal,
                    PlayHarness.fixture("interrupt.yml"),
                ])
            defer { run.kill() }
            let started = Date().addingTimeInterval(30)
            while try !nodes.allSatisfy({ try Self.running("sleep 97.125", on: $0) }), Date() < started {
                usleep(100_000)
            }
            let signalled = Date()
            run.signal(signal)
            let status = run.wait()
            let seconds = Date().timeIntervalSince(signalled)
            #expect(status == 128 + signal, "\(run.output)")
            #expect(seconds < 5, "exit took \(seconds) s")
            for (node, before) in zip(nodes, before) {
                #expect(try Self.gone("sleep 97.125", from: node), "\(node.name)")
                // The kill that ends a shell also removes its directory: red when a closing session
                // killed that kill between the two.
                let left = try Self.shellDirectoriesLeft(on: node, besides: before)
                #expect(left.isEmpty, "\(left)\n\(run.output)")
                #expect(try LabNodes.exec(node, "test -e /tmp/capstan-after-interrupt").status != 0)
            }
            let runs = try CapstanBinary.run(["runs", "--journal", journal])
            #expect(runs.out.contains(" \(128 + signal) "), "status \(runs.status): \(runs.out)\(runs.err)")
        }

        @Test func secretsUnderBecomeReachNoCommandLineAndNoJournal() throws {
            let node = try LabNodes.up(3)[0]
            let token = "capstan-secret-\(UUID().uuidString.prefix(12))"
            try LabNodes.exec(node, "rm -f /tmp/capstan-ps-samples /tmp/capstan-secret-*")
            let since = try LabNodes.exec(node, "date '+%Y-%m-%d %H:%M:%S'").output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try PlayHarness.play("secrets.yml", ["-e", "token=\(token)"])
            #expect(run.status == 0, "\(run.out)\(run.err)")
            #expect(!run.out.contains(token) && !run.err.contains(token))
            // Wait for the sampler to finish, then look at what it saw.
            _ = try LabNodes.exec(
                node, "i=0; while pgrep -f 'ps -eo args' >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done")
            let samples = try LabNodes.exec(node, "cat /tmp/capstan-ps-samples").output
            #expect(samples.contains("sudo") || samples.contains("/bin/sh"), "the sampler saw no command")
            #expect(!samples.contains(token), "a secret was on a command line")
            let journal = try LabNodes.exec(node, "journalctl -q --no-pager --since '\(since)'").output
            #expect(!journal.contains(token), "a secret reached the node's journal")
            #expect(try LabNodes.exec(node, "cat /tmp/capstan-secret-copy").output == "token=\(token)\n")
        }
    }
}

/// `capstan` started in the background, to be signalled while it runs.
final class BackgroundCapstan {
    private var pid: pid_t?
    private let outputPath = TestScratch.directory + "/capstan-bg-\(UUID().uuidString).out"
    private let journalPath = CapstanBinary.throwawayJournalPath()

    /// Starts `capstan ARGS` with a throwaway journal unless `--journal` is given, and `environment` added.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        let out = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(out) }
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_JOURNAL"] = journalPath
        env.merge(environment) { $1 }
        pid = try PosixSpawn.start(
            CapstanBinary.path, arguments, stdin: nil, stdout: out, stderr: out, environment: env)
    }

    deinit {
        kill()
        unlink(outputPath)
        CapstanBinary.removeJournal(at: journalPath)
    }

    /// What it printed, stdout and stderr together.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        if let pid { Foundation.kill(pid, number) }
    }

    /// Waits for the exit; the exit status, or 128 + the signal that killed it.
    func wait() -> Int32 {
        guard let pid else { return -1 }
        let (status, signal) = PosixSpawn.wait(pid)
        self.pid = nil
        return status ?? (128 + (signal ?? 0))
    }

    /// Kills it if it still runs.
    func kill() {
        guard let pid else { return }
        Foundation.kill(pid, SIGKILL)
        _ = PosixSpawn.wait(pid)
        self.pid = nil
    }
}
