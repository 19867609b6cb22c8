import CapstanTestSupport
import Foundation
import Synchronization
import Testing

@testable import CapstanBasics
@testable import CapstanTransport

/// `--ssh-persist`: the connection keeper holds SSH sessions between runs (Capstan's ControlPersist).
@Suite struct PersistTests {
    /// A keeper in this process, on a socket of the test's own; `stop` it at the end.
    static func keeper(idle: Int = 30) throws -> (server: PersistServer, socket: String, serving: Task<Void, Never>) {
        let directory = NSTemporaryDirectory() + "capstan-keeper-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let socket = directory + "/keeper.sock"
        let server = PersistServer(socketPath: socket, idleSeconds: idle)
        guard server.bind() else { throw CocoaError(.fileWriteUnknown) }
        return (server, socket, Task { await server.serve() })
    }

    /// Stops a keeper of `keeper()` and waits until its threads have ended and its sessions are closed.
    static func stop(_ keeper: (server: PersistServer, socket: String, serving: Task<Void, Never>)) async {
        keeper.server.stop()
        await keeper.serving.value
        try? FileManager.default.removeItem(atPath: (keeper.socket as NSString).deletingLastPathComponent)
    }

    @Test func messagesSurviveTheWire() throws {
        let options = CommandOptions(
            timeout: .milliseconds(2500), stdin: [0, 1, 255], environment: ["A": "b c", "Z": ""],
            become: Become(user: "deploy", password: Secret("pw")), subshell: true)
        let request = PersistWire.Request.run(id: 7, session: 3, command: "echo 'x'\n", options: options)
        guard case .run(let id, let session, let command, let back)? = PersistWire.Request(decoding: request.encoded)
        else {
            Issue.record("the run request did not decode")
            return
        }
        #expect(id == 7 && session == 3 && command == "echo 'x'\n")
        #expect(back.timeout == .milliseconds(2500) && back.stdin == [0, 1, 255] && back.subshell)
        #expect(back.environment == ["A": "b c", "Z": ""])
        #expect(back.become?.user == "deploy" && back.become?.password?.value == "pw")
        #expect(PersistWire.Request(decoding: Array(request.encoded.dropLast())) == nil)

        let result = CommandResult(
            exitStatus: nil, signal: "KILL", stdout: [1, 2], stderr: Array("e".utf8), duration: .milliseconds(12))
        guard
            case .result(9, let decoded)? = PersistWire.Response(
                decoding: PersistWire.Response.result(id: 9, result).encoded)
        else {
            Issue.record("the result did not decode")
            return
        }
        #expect(decoded == result)
        let error = ConnectionError.hostKeyUnknown(host: "h", knownHostsFile: "/k", fingerprint: "SHA256:x")
        guard
            case .connectionError(1, let e)? = PersistWire.Response(
                decoding: PersistWire.Response.connectionError(id: 1, error).encoded)
        else {
            Issue.record("the error did not decode")
            return
        }
        #expect(e == error)
    }

    /// A keeper that takes requests and never answers must not hang the run: a run with a timeout
    /// gives up at its timeout plus the client's grace, and later requests on the socket still work.
    @Test func aSilentKeeperDoesNotHangTheRun() async throws {
        let directory = NSTemporaryDirectory() + "capstan-silent-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try #require(UnixSocket.listen(at: directory + "/keeper.sock"))
        defer { close(listener) }
        // Reads and discards whatever comes, never answers.
        Thread {
            let fd = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(fd, &buffer, buffer.count) > 0 {}
            close(fd)
        }.start()
        let client = PersistClient(
            fd: try #require(UnixSocket.connect(to: directory + "/keeper.sock")), grace: .seconds(1))
        for timeout in [Duration.seconds(1), .milliseconds(500)] {
            // In a task of its own, watched from here: a client that hangs must fail the test, not hang it.
            let answer = Mutex<String?>(nil)
            let started = ContinuousClock.now
            Task {
                do {
                    _ = try await client.run("true", options: CommandOptions(timeout: timeout), session: 1)
                    answer.withLock { $0 = "a result" }
                } catch {
                    answer.withLock { $0 = "\(type(of: error))" }
                }
            }
            while answer.withLock({ $0 }) == nil, ContinuousClock.now - started < .seconds(10) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let waited = ContinuousClock.now - started
            #expect(answer.withLock { $0 } == "KeeperUnavailable")
            #expect(waited >= timeout + .seconds(1) && waited < timeout + .seconds(3), "waited \(waited)")
        }
    }

    @Test func connectionsToOneEndpointShareTheKeptSession() async throws {
        let server = try LoopbackSSHD()
        let keeper = try Self.keeper()
        defer { keeper.server.stop() }
        let first = try #require(
            PersistentConnection(endpoint: server.endpoint(), idleSeconds: 30, socketPath: keeper.socket))
        try await first.connect()
        // A user command's parent is the session's resident shell: the same PID means the same session.
        let shell = try await first.run("echo $PPID", options: CommandOptions()).stdoutText
        let result = try await first.run("echo out; echo err >&2; exit 3", options: CommandOptions())
        #expect(result.exitStatus == 3 && result.stdoutText == "out\n" && result.stderrText == "err\n")
        let own = CommandOptions(stdin: Array("abc".utf8), subshell: true)
        #expect(try await first.run("cat", options: own).stdoutText == "abc")
        await first.close()

        let second = try #require(
            PersistentConnection(endpoint: server.endpoint(), idleSeconds: 30, socketPath: keeper.socket))
        try await second.connect()
        #expect(try await second.run("echo $PPID", options: CommandOptions()).stdoutText == shell)
        #expect(keeper.server.sessionCount == 1)
        await Self.stop(keeper)
        // A keeper that stopped hangs up: the run hears of it at once as a lost connection.
        await #expect(throws: ConnectionError.self) { try await second.run("true", options: CommandOptions()) }
    }

    @Test func hostKeyProblemsComeBackAsTheyAre() async throws {
        let server = try LoopbackSSHD()
        let keeper = try Self.keeper()
        defer { keeper.server.stop() }
        var endpoint = server.endpoint()
        endpoint.knownHostsFile = server.directory + "/empty-known-hosts"
        #expect(FileManager.default.createFile(atPath: endpoint.knownHostsFile!, contents: Data()))
        let connection = try #require(
            PersistentConnection(endpoint: endpoint, idleSeconds: 30, socketPath: keeper.socket))
        do {
            try await connection.connect()
            Issue.record("connected despite an unknown host key")
        } catch let error as ConnectionError {
            guard case .hostKeyUnknown = error else {
                Issue.record("expected hostKeyUnknown, got \(error)")
                return
            }
        }
        // From the keeper itself, not from the run's own session the connection falls back to.
        let client = try #require(PersistClient.shared(socketPath: keeper.socket, idleSeconds: 30))
        do {
            _ = try await client.connect(try #require(PersistedEndpoint(endpoint)))
            Issue.record("the keeper connected despite an unknown host key")
        } catch let error as ConnectionError {
            guard case .hostKeyUnknown = error else {
                Issue.record("expected hostKeyUnknown from the keeper, got \(error)")
                return
            }
        }
        #expect(keeper.server.sessionCount == 0)
        await Self.stop(keeper)
    }

    @Test func endpointsWithASecretConnectThemselves() async throws {
        let keeper = try Self.keeper()
        defer { keeper.server.stop() }
        var endpoint = SSHEndpoint(host: "127.0.0.1", port: 1)
        endpoint.password = Secret("hunter2")
        #expect(PersistentConnection(endpoint: endpoint, idleSeconds: 30, socketPath: keeper.socket) == nil)
        #expect(
            PersistentConnection(
                endpoint: SSHEndpoint(host: "127.0.0.1", port: 1), idleSeconds: 30, socketPath: keeper.socket) != nil)
        await Self.stop(keeper)
    }

    /// Two `capstan play --ssh-persist` runs: the second reuses the first's session (the same resident
    /// shell answers), and the keeper exits once idle, removing its socket.
    @Test func twoRunsShareASessionAndTheKeeperExitsWhenIdle() throws {
        _ = try LabNodes.up(3)
        let directory = NSTemporaryDirectory() + "capstan-persist-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let playbook = directory + "/site.yml"
        try """
        - hosts: node-01
          gather_facts: false
          tasks:
            - name: shell pid
              ansible.builtin.shell: echo $PPID
        """.write(toFile: playbook, atomically: true, encoding: .utf8)
        let args = [
            "play", "-i", LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath, "--output", "json",
            "--ssh-persist", "2", playbook,
        ]
        func shellPID() throws -> String? {
            let run = try CapstanBinary.run(args, environment: ["CAPSTAN_PERSIST_DIR": directory])
            #expect(run.status == 0, "\(run.err)")
            return run.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }
                .first { $0["event"] == "host_result" }?["result"]?["stdout"]?.stringValue
        }
        let socket = directory + "/keeper-v\(PersistWire.version).sock"
        let first = try shellPID()
        #expect(FileManager.default.fileExists(atPath: socket))
        let second = try shellPID()
        #expect(first != nil && first == second)
        // Idle for 2 s, checked every second.
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(200_000) }
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    /// A cancelled run's command is killed by the keeper, and so is every command of a run that hangs
    /// up without a word (killed at once, its machine gone).
    @Test func keeperKillsTheCommandsOfCancelledAndVanishedRuns() async throws {
        let server = try LoopbackSSHD()
        let keeper = try Self.keeper()
        defer { keeper.server.stop() }
        let connection = try #require(
            PersistentConnection(endpoint: server.endpoint(), idleSeconds: 30, socketPath: keeper.socket))
        try await connection.connect()
        let sleep = SSHCancellationTests.uniqueSleep()
        let running = Task { try await connection.run(sleep, options: CommandOptions()) }
        #expect(try SSHCancellationTests.eventually { try SSHCancellationTests.running(sleep) })
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(try SSHCancellationTests.eventually { try !SSHCancellationTests.running(sleep) })

        // A client of its own, whose socket closes while its command runs.
        let fd = try #require(UnixSocket.connect(to: keeper.socket))
        let client = PersistClient(fd: fd)
        let session = try await client.connect(try #require(PersistedEndpoint(server.endpoint())))
        let orphan = SSHCancellationTests.uniqueSleep()
        let lost = Task { try await client.run(orphan, options: CommandOptions(), session: session) }
        #expect(try SSHCancellationTests.eventually { try SSHCancellationTests.running(orphan) })
        shutdown(fd, Int32(SHUT_RDWR))
        #expect(try SSHCancellationTests.eventually { try !SSHCancellationTests.running(orphan) })
        _ = try? await lost.value
        await Self.stop(keeper)
    }
}
