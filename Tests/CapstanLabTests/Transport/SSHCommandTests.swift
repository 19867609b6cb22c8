import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// Commands over a real OpenSSH server on loopback, each test once on a channel per command and once
/// through resident shells (`SSHEndpoint.residentShell`).
@Suite struct SSHCommandTests {
    /// A connection to `server` with resident shells on or off.
    static func connection(_ server: LoopbackSSHD, resident: Bool) -> SSHConnection {
        var endpoint = server.endpoint()
        endpoint.residentShell = resident
        return SSHConnection(endpoint: endpoint)
    }

    @Test(arguments: [false, true])
    func exitStatusAndStreamsAreKeptApart(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let result = try await connection.run("echo out; echo err >&2; exit 3")
        #expect(result.exitStatus == 3)
        #expect(result.signal == nil)
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func commandRunsInPlainShNotTheLoginShell(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        // $0 names the shell running the command; quotes inside the command survive the wrapping.
        let result = try await connection.run("echo \"$0\" 'it'\"'\"'s'")
        #expect(result.stdoutText == "/bin/sh it's\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func signalIsReported(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let result = try await connection.run("kill -KILL $$")
        #expect(result.exitStatus == nil)
        #expect(result.signal == "KILL")
        #expect(result.returnCode == -9)
        await connection.close()
    }

    @Test(arguments: [false, true])
    func timeoutKillsTheCommandAndSaysSo(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        _ = try await connection.run("true")
        let command = "sleep 30 # capstan-timeout-\(UUID().uuidString.prefix(8))"
        let start = ContinuousClock.now
        await #expect(throws: ConnectionError.commandTimeout(host: "127.0.0.1", command: command, seconds: 1)) {
            try await connection.run(command, options: CommandOptions(timeout: .seconds(1)))
        }
        // Well short of the 30 s the command would take: the timeout acted (room left for a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(25))
        // The server is this machine: the command itself is gone too, not just our wait for it.
        var alive = true
        for _ in 0..<50 where alive {
            alive = try HostCommand.run(["/bin/ps", "-eo", "args"]).contains(command)
            if alive { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!alive)
        // The session survives: the next command runs normally.
        #expect(try await connection.run("echo ok").stdoutText == "ok\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func tenMegabytesOfStdoutAndThreeOfStderrTogether(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let command = "yes 0123456789abcde | head -c 10485760 & yes ERR | head -c 3145728 >&2; wait"
        let result = try await connection.run(command, options: CommandOptions(timeout: .seconds(60)))
        #expect(result.exitStatus == 0)
        #expect(result.stdout.count == 10_485_760)
        #expect(result.stderr.count == 3_145_728)
        #expect(result.stdout.prefix(16) == Array("0123456789abcde\n".utf8)[...])
        #expect(Set(result.stderr) == Set(Array("ERR\n".utf8)))
        await connection.close()
    }

    @Test(arguments: [false, true])
    func stdinIsDeliveredBinarySafe(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        let result = try await connection.run("cat", options: CommandOptions(stdin: bytes))
        #expect(result.stdout == bytes)
        await connection.close()
    }

    @Test(arguments: [false, true])
    func environmentReachesTheCommand(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let options = CommandOptions(environment: ["GREETING": "it's a $HOME; `x`"])
        let result = try await connection.run("printf '%s' \"$GREETING\"", options: options)
        #expect(result.stdoutText == "it's a $HOME; `x`")
        await #expect(throws: InvalidEnvironmentName.self) {
            try await connection.run("true", options: CommandOptions(environment: ["A;rm": "x"]))
        }
        await connection.close()
    }

    @Test(arguments: [false, true])
    func thirtyConcurrentCommandsShareOneSession(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<30 {
                group.addTask { try await connection.run("sleep 0.2; echo \(index)").stdoutText }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outputs == Set((0..<30).map { "\($0)\n" }))
        // One session: sshd saw exactly one TCP connection from us.
        let peers = try HostCommand.run([
            "/usr/bin/ss", "-Htn", "state", "established", "dst", "127.0.0.1:\(server.port)",
        ])
        #expect(peers.split(separator: "\n").count == 1)
        await connection.close()
    }

    @Test(arguments: [false, true])
    func droppedSessionFailsRunningCommandsAndTheNextCommandReconnects(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = Self.connection(server, resident: resident)
        #expect(try await connection.run("echo before").stdoutText == "before\n")
        async let running = connection.run("sleep 20", options: CommandOptions(timeout: .seconds(30)))
        try await Task.sleep(for: .milliseconds(500))
        server.dropSessions()
        do {
            _ = try await running
            Issue.record("a command survived its session")
        } catch let error as ConnectionError {
            guard case .disconnected = error else {
                Issue.record("expected disconnected, got \(error)")
                return
            }
        }
        #expect(try await connection.run("echo after").stdoutText == "after\n")
        await connection.close()
    }
}
