import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// What ends a command early over a real OpenSSH server on loopback: a deadline, a cancelled task, a
/// closing connection, a server that went silent. The server runs on this machine, so its processes
/// are this machine's: a command that was not killed shows in the process list.
@Suite struct SSHCancellationTests {
    /// A `sleep` no other test runs, so that finding it in the process list means this test left it.
    static func uniqueSleep(_ seconds: Int = 97) -> String {
        "sleep \(seconds).\(Int.random(in: 100_000...999_999))"
    }

    /// The resident shells' directories on this machine.
    static func shellDirectories() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        return Set(names.filter { $0.hasPrefix("capstan-rs.") })
    }

    /// Whether a process whose command line is exactly `command` runs on this machine.
    static func running(_ command: String) throws -> Bool {
        try HostCommand.run(["/bin/ps", "-eo", "args"]).split(separator: "\n").contains { $0 == command }
    }

    /// Waits up to `seconds` for `condition` to hold.
    static func eventually(_ seconds: Double = 3, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test(arguments: [false, true])
    func deadlineKillsTheCommandOnTheHost(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        let sleep = Self.uniqueSleep()
        var options = CommandOptions()
        options.deadline = .now + .seconds(1)
        let started = ContinuousClock.now
        await #expect(throws: ConnectionError.self) { try await connection.run(sleep, options: options) }
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(try Self.eventually { try !Self.running(sleep) })
        // A deadline already past fails at once, without running anything.
        await #expect(throws: ConnectionError.self) { try await connection.run("touch /nonexistent", options: options) }
        await connection.close()
    }

    @Test(arguments: [false, true])
    func cancellingTheCallerKillsTheCommand(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        let sleep = Self.uniqueSleep()
        let running = Task { try await connection.run(sleep) }
        #expect(try Self.eventually { try Self.running(sleep) })
        let cancelled = ContinuousClock.now
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(ContinuousClock.now - cancelled < .seconds(2))
        #expect(try Self.eventually { try !Self.running(sleep) })
        // The connection goes on serving.
        #expect(try await connection.run("echo still").stdoutText == "still\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func closingTheConnectionKillsWhatStillRunsAndRemovesTheShellsDirectory(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        let sleep = Self.uniqueSleep()
        let before = Self.shellDirectories()
        let running = Task { try await connection.run(sleep) }
        #expect(try Self.eventually { try Self.running(sleep) })
        let during = Self.shellDirectories()
        #expect(during.subtracting(before).count == (resident ? 1 : 0))
        await connection.close()
        await #expect(throws: (any Error).self) { try await running.value }
        #expect(try Self.eventually { try !Self.running(sleep) })
        #expect(Self.eventually { Self.shellDirectories().subtracting(before).isEmpty })
    }

    /// A run killed at once (SIGKILL, a lost sshd) leaves its shells' directories behind: the next
    /// resident shell removes those whose shell is gone, and leaves a living one's alone.
    @Test func residentShellRemovesTheDirectoriesOfDeadShells() async throws {
        let dead = try PosixSpawn.start("/bin/true", [])
        _ = PosixSpawn.wait(dead)
        let stale = "/tmp/capstan-rs.stale\(Int.random(in: 1000...9999))"
        let living = "/tmp/capstan-rs.alive\(Int.random(in: 1000...9999))"
        defer { for path in [stale, living] { try? FileManager.default.removeItem(atPath: path) } }
        for (path, pid) in [(stale, dead), (living, getpid())] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try "\(pid)\n".write(toFile: path + "/pid", atomically: false, encoding: .utf8)
        }
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        #expect(try await connection.run("echo up").stdoutText == "up\n")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: living + "/pid"))
        await connection.close()
    }

    /// A server whose processes are stopped keeps TCP up (the kernel still acknowledges) but answers
    /// nothing: the keepalives that want a reply find it out within interval × count.
    @Test func silentServerIsGivenUpAfterItsKeepalivesGoUnanswered() async throws {
        let server = try LoopbackSSHD()
        defer { server.signalSessions(SIGCONT) }
        var endpoint = server.endpoint()
        endpoint.keepaliveInterval = 1
        endpoint.keepaliveCountMax = 2
        let connection = SSHConnection(endpoint: endpoint)
        #expect(try await connection.run("echo up").stdoutText == "up\n")
        let sleep = Self.uniqueSleep()
        let running = Task { try await connection.run(sleep) }
        #expect(try Self.eventually { try Self.running(sleep) })
        // A silent but living server is not given up: the keepalives are answered.
        try await Task.sleep(for: .seconds(3))
        server.signalSessions(SIGSTOP)
        let stopped = ContinuousClock.now
        do {
            _ = try await running.value
            Issue.record("the command finished on a stopped server")
        } catch let error as ConnectionError {
            guard case .disconnected(_, let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(detail.contains("stopped answering"), "\(detail)")
        }
        let waited = ContinuousClock.now - stopped
        #expect(waited >= .seconds(1) && waited < .seconds(5), "\(waited)")
        server.signalSessions(SIGCONT)
        server.dropSessions()
        await connection.close()
    }

    /// Under become (sudo, on a channel) and without (the resident shell), neither the command's text
    /// nor its environment is in any process's command line while it runs.
    @Test(arguments: [true, false])
    func programAndEnvironmentStayOffEveryCommandLine(become: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHConnection(endpoint: server.endpoint())
        let token = "tok-" + UUID().uuidString
        let sleep = Self.uniqueSleep(1)
        let options = CommandOptions(
            environment: ["APP_TOKEN": token], become: become ? Become(user: "nobody") : nil)
        let running = Task {
            try await connection.run(
                "[ \"$APP_TOKEN\" = '\(token)' ] && echo '\(token)' >/dev/null && \(sleep) & wait; echo done",
                options: options)
        }
        var samples = 0
        var leaked: [String] = []
        while samples < 100 {
            let lines = try HostCommand.run(["/bin/ps", "-eo", "args"])
            leaked += lines.split(separator: "\n").filter { $0.contains(token) }.map(String.init)
            samples += 1
            if samples > 10, try !Self.running(sleep) { break }
        }
        let result = try await running.value
        #expect(result.stdoutText == "done\n")
        #expect(leaked.isEmpty, "\(leaked)")
        await connection.close()
    }
}
