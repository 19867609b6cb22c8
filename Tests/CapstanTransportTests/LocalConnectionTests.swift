import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// `ansible_connection=local`: the same contract as SSH, on child processes.
@Suite struct LocalConnectionTests {
    let connection = LocalConnection()

    @Test func exitStatusStreamsAndSignal() async throws {
        let result = try await connection.run("echo out; echo err >&2; exit 4")
        #expect(result.exitStatus == 4)
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        let killed = try await connection.run("kill -TERM $$")
        #expect(killed.exitStatus == nil)
        #expect(killed.signal == "TERM")
        #expect(killed.returnCode == -15)
    }

    @Test func largeStdoutAndStderrTogetherWithStdin() async throws {
        let command = "cat >/dev/null; yes 0123456789abcde | head -c 10485760 & yes ERR | head -c 3145728 >&2; wait"
        let input = [UInt8](repeating: 7, count: 1 << 20)
        let result = try await connection.run(command, options: CommandOptions(timeout: .seconds(60), stdin: input))
        #expect(result.stdout.count == 10_485_760)
        #expect(result.stderr.count == 3_145_728)
        #expect(try await connection.run("cat", options: CommandOptions(stdin: input)).stdout == input)
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let marker = "capstan-local-timeout-\(UUID().uuidString.prefix(8))"
        let start = ContinuousClock.now
        await #expect(
            throws: ConnectionError.commandTimeout(host: "localhost", command: "sleep 30 # \(marker)", seconds: 1)
        ) {
            try await connection.run("sleep 30 # \(marker)", options: CommandOptions(timeout: .seconds(1)))
        }
        // Well short of the 30 s the command would take: the timeout acted (room left for a loaded machine).
        #expect(ContinuousClock.now - start < .seconds(25))
        let processes = try HostCommand.run(["/bin/ps", "-eo", "args"])
        #expect(!processes.contains(marker))
    }

    // Becoming another user without a password is root's.
    @Test(.enabled(if: TestUser.isRoot)) func becomeAndFiles() async throws {
        let result = try await connection.run("id -un", options: CommandOptions(become: Become(user: "nobody")))
        #expect(result.stdoutText == "nobody\n")
        let directory = try HostCommand.temporaryDirectory("local")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes: [UInt8] = Array(0...255)
        try await connection.put(
            bytes, to: directory + "/f", attributes: FileAttributes(mode: 0o604), options: CommandOptions())
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/f")
        #expect((attributes[.posixPermissions] as? Int) == 0o604)
        #expect(try await connection.get(directory + "/f") == bytes)
        try await connection.put(
            bytes, to: directory + "/g", attributes: FileAttributes(owner: "nobody"), options: CommandOptions())
        #expect(
            (try FileManager.default.attributesOfItem(atPath: directory + "/g")[.ownerAccountName] as? String)
                == "nobody")
    }
}
