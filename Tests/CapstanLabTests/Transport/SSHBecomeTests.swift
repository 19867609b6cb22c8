import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTransport

/// sudo through SSH. Creates a throwaway local user with a password and a sudoers entry (the tests
/// run as root on a disposable machine) and removes both afterwards.
@Suite(.serialized) struct SSHBecomeTests {
    static let password = "Capstan-become-\(UUID().uuidString.prefix(8))"

    /// Runs `body` with a fresh user that may sudo to anyone with `password`.
    private func withSudoUser(_ body: (String) async throws -> Void) async throws {
        let user = "capstan-b" + UUID().uuidString.prefix(6).lowercased()
        let sudoers = "/etc/sudoers.d/\(user)"
        try HostCommand.run(["/usr/sbin/useradd", "-M", "-d", "/tmp", "-s", "/bin/sh", user])
        defer {
            try? FileManager.default.removeItem(atPath: sudoers)
            _ = try? HostCommand.run(["/usr/sbin/userdel", user])
        }
        try HostCommand.run(["/usr/sbin/chpasswd"], stdin: "\(user):\(Self.password)\n")
        try "\(user) ALL=(ALL:ALL) ALL\n".write(toFile: sudoers, atomically: true, encoding: .utf8)
        _ = chmod(sudoers, 0o440)
        try await body(user)
    }

    @Test func rootBecomesAnotherUserWithoutPassword() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHConnection(endpoint: server.endpoint())
        let result = try await connection.run(
            "id -un; echo err >&2", options: CommandOptions(become: Become(user: "nobody")))
        #expect(result.stdoutText == "nobody\n")
        #expect(result.stderrText == "err\n")
        await connection.close()
    }

    @Test func passwordIsSentOnStdinAndNeverInTheProcessList() async throws {
        try await withSudoUser { user in
            let server = try LoopbackSSHD()
            let connection = SSHConnection(endpoint: server.endpoint(user: user))
            let become = Become(user: "root", password: Secret(Self.password))
            let options = CommandOptions(stdin: Array("piped input".utf8), become: become)
            async let running = connection.run("id -un; cat; sleep 1", options: options)
            try await Task.sleep(for: .milliseconds(600))
            let commandLines = try HostCommand.run(["/bin/ps", "-eo", "args"])
            #expect(commandLines.contains("sleep 1"))
            #expect(!commandLines.contains(Self.password))
            let result = try await running
            #expect(result.stdoutText == "root\npiped input")
            #expect(result.stderrText == "")
            await connection.close()
        }
    }

    @Test func wrongPasswordAndMissingPasswordHaveTheirOwnErrors() async throws {
        try await withSudoUser { user in
            let server = try LoopbackSSHD()
            let connection = SSHConnection(endpoint: server.endpoint(user: user))
            let wrong = CommandOptions(timeout: .seconds(20), become: Become(password: Secret("not-it")))
            await #expect(throws: ConnectionError.becomePasswordWrong(host: "127.0.0.1", user: "root")) {
                try await connection.run("id -un", options: wrong)
            }
            let none = CommandOptions(timeout: .seconds(20), become: Become())
            await #expect(throws: ConnectionError.becomePasswordRequired(host: "127.0.0.1", user: "root")) {
                try await connection.run("id -un", options: none)
            }
            await connection.close()
        }
    }

    @Test func passwordAuthenticationAfterKeysFail() async throws {
        try await withSudoUser { user in
            let server = try LoopbackSSHD()
            var endpoint = server.endpoint(user: user)
            endpoint.privateKeyPath = nil
            endpoint.password = Secret(Self.password)
            let connection = SSHConnection(endpoint: endpoint)
            #expect(try await connection.run("id -un").stdoutText == "\(user)\n")
            await connection.close()
            endpoint.password = Secret("wrong-\(Self.password)")
            let refused = SSHConnection(endpoint: endpoint)
            do {
                try await refused.connect()
                Issue.record("a wrong password was accepted")
            } catch let error as ConnectionError {
                #expect(
                    error
                        == .authenticationFailed(
                            host: "127.0.0.1", user: user,
                            methodsTried: ["publickey (agent and default identities)", "password"]))
                #expect(!error.description.contains(Self.password))
            }
            await refused.close()
        }
    }

    @Test func uploadWithBecomeGoesThroughSudo() async throws {
        try await withSudoUser { user in
            let server = try LoopbackSSHD()
            let connection = SSHConnection(endpoint: server.endpoint(user: user))
            let target = server.directory + "/root-owned.bin"
            let options = CommandOptions(become: Become(password: Secret(Self.password)))
            let bytes: [UInt8] = Array(0...255) + Array("\npassword-like line\n".utf8)
            try await connection.put(bytes, to: target, attributes: FileAttributes(mode: 0o600), options: options)
            let attributes = try FileManager.default.attributesOfItem(atPath: target)
            #expect((attributes[.ownerAccountName] as? String) == "root")
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(bytes))
            #expect(try await connection.get(target, options: options) == bytes)
            await connection.close()
        }
    }
}
