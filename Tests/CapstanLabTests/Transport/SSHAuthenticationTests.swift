import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanInventory
@testable import CapstanTransport

/// Authentication, connect failures and `~/.ssh/config` against a loopback OpenSSH server.
@Suite struct SSHAuthenticationTests {
    @Test func wrongKeyIsRefusedAndTheErrorListsMethodsTried() async throws {
        let server = try LoopbackSSHD()
        let other = server.directory + "/other_key"
        try HostCommand.generateKey(at: other)
        var endpoint = server.endpoint()
        endpoint.privateKeyPath = other
        endpoint.password = Secret("hunter2-not-root-password")
        let connection = SSHConnection(endpoint: endpoint)
        do {
            try await connection.connect()
            Issue.record("connected with a key that is not authorised")
        } catch let error as ConnectionError {
            #expect(
                error
                    == .authenticationFailed(
                        host: "127.0.0.1", user: "root", methodsTried: ["publickey (\(other))", "password"]))
            #expect(!error.description.contains("hunter2"))
            #expect(error.isUnreachable)
        }
        await connection.close()
    }

    @Test func encryptedKeyWithPassphraseFromPromptAndFromSettings() async throws {
        let server = try LoopbackSSHD()
        let locked = server.directory + "/locked_key"
        try HostCommand.generateKey(at: locked, passphrase: "open sesame")
        try FileManager.default.removeItem(atPath: server.directory + "/authorized_keys")
        try FileManager.default.copyItem(atPath: locked + ".pub", toPath: server.directory + "/authorized_keys")
        var endpoint = server.endpoint()
        endpoint.privateKeyPath = locked
        endpoint.passphrasePrompt = { _ in Secret("open sesame") }
        let prompted = SSHConnection(endpoint: endpoint)
        #expect(try await prompted.run("echo ok").stdoutText == "ok\n")
        await prompted.close()

        endpoint.passphrasePrompt = nil
        endpoint.privateKeyPassphrase = Secret("wrong")
        let wrong = SSHConnection(endpoint: endpoint)
        await #expect(throws: ConnectionError.self) { try await wrong.connect() }
        await wrong.close()
    }

    @Test func portWithoutServerIsRefusedQuickly() async throws {
        let server = try LoopbackSSHD()
        // A bound socket that does not listen: the kernel refuses connections, and no parallel test can
        // take the port meanwhile (a stopped sshd's port could be reused by another test's listener).
        let closed = try SilentListener(listening: false)
        var endpoint = server.endpoint()
        endpoint.port = closed.port
        endpoint.connectTimeout = 30
        let connection = SSHConnection(endpoint: endpoint)
        let start = ContinuousClock.now
        await #expect(throws: ConnectionError.connectionRefused(host: "127.0.0.1", port: closed.port)) {
            try await connection.connect()
        }
        // Far below the 30 s connect timeout (the margin covers a loaded 2-core test machine).
        #expect(ContinuousClock.now - start < .seconds(20))
        await connection.close()
    }

    @Test func serverThatNeverSpeaksTimesOut() async throws {
        let listener = try SilentListener()
        var endpoint = SSHEndpoint(
            host: "127.0.0.1", port: listener.port, user: "root", connectTimeout: 1, config: .none)
        endpoint.sshDirectory = try HostCommand.temporaryDirectory("ssh-dir")
        let connection = SSHConnection(endpoint: endpoint)
        let start = ContinuousClock.now
        await #expect(throws: ConnectionError.connectTimeout(host: "127.0.0.1", port: listener.port, seconds: 1)) {
            try await connection.connect()
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(20))
        await connection.close()
    }

    @Test func sshConfigSuppliesHostNamePortUserAndIdentityButExplicitSettingsWin() async throws {
        let server = try LoopbackSSHD()
        let config = """
            Host capstan-alias
                HostName 127.0.0.1
                Port \(server.port)
                User nobody
                IdentityFile \(server.clientKey)
            """
        try config.write(toFile: server.sshDirectory + "/config", atomically: true, encoding: .utf8)
        var endpoint = SSHEndpoint(
            host: "capstan-alias", user: "root", connectTimeout: 5, knownHostsFile: server.knownHosts,
            sshDirectory: server.sshDirectory, config: .userAndSystem)
        endpoint.globalKnownHostsFile = server.directory + "/none"
        endpoint.useAgent = false
        let connection = SSHConnection(endpoint: endpoint)
        // HostName, Port and IdentityFile came from the config; User root (explicit) beat User nobody.
        #expect(try await connection.run("id -un").stdoutText == "root\n")
        await connection.close()

        endpoint.config = .none
        let unconfigured = SSHConnection(endpoint: endpoint)
        await #expect(throws: ConnectionError.self) { try await unconfigured.connect() }
        await unconfigured.close()
    }

    @Test func connectFailureMessagesAreClassified() {
        let classify = { SSHSessionOpener.classifyConnectFailure($0, host: "h", port: 22, timeout: 10) }
        #expect(
            classify("Failed to resolve hostname nope (Name or service not known)")
                == .dnsFailure(
                    host: "h", detail: "Failed to resolve hostname nope (Name or service not known)"))
        #expect(classify("Connection refused") == .connectionRefused(host: "h", port: 22))
        #expect(classify("Timeout connecting to h") == .connectTimeout(host: "h", port: 22, seconds: 10))
    }

    @Test func secretsPrintAsStars() {
        let secret = Secret("s3cr3t")
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "***")
        let become = Become(user: "root", password: secret)
        #expect(!"\(become)".contains("s3cr3t"))
    }
}
