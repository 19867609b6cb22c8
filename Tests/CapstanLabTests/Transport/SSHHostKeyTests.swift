import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTransport

/// Host key checking against known_hosts, with OpenSSH's own ssh-keygen as the oracle for hashing
/// and fingerprints.
@Suite struct SSHHostKeyTests {
    /// A known_hosts whose line 2 records a different key for the server, hashed by `ssh-keygen -H`.
    private func knownHostsWithWrongKey(_ server: LoopbackSSHD) throws -> String {
        let impostor = server.directory + "/impostor"
        try HostCommand.generateKey(at: impostor)
        let otherKey = try String(contentsOfFile: impostor + ".pub", encoding: .utf8)
        let path = server.directory + "/changed_known_hosts"
        try "elsewhere.example \(otherKey)[127.0.0.1]:\(server.port) \(otherKey)".write(
            toFile: path, atomically: true, encoding: .utf8)
        try HostCommand.run(["/usr/bin/ssh-keygen", "-H", "-f", path])
        return path
    }

    @Test func changedKeyIsRefusedNamingFileLineAndFingerprint() async throws {
        let server = try LoopbackSSHD()
        let knownHosts = try knownHostsWithWrongKey(server)
        #expect(try String(contentsOfFile: knownHosts, encoding: .utf8).hasPrefix("|1|"))
        let before = try Data(contentsOf: URL(fileURLWithPath: knownHosts))
        for policy in [HostKeyPolicy.strict, .acceptNew] {
            var endpoint = server.endpoint(policy: policy)
            endpoint.knownHostsFile = knownHosts
            let connection = SSHConnection(endpoint: endpoint)
            let fingerprint = try HostCommand.fingerprint(ofPublicKey: server.hostKeyPublic)
            await #expect(
                throws: ConnectionError.hostKeyChanged(
                    host: "127.0.0.1", knownHostsFile: knownHosts, line: 2, fingerprint: fingerprint)
            ) { try await connection.connect() }
            await connection.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: knownHosts)) == before)
    }

    @Test func unknownKeyIsRefusedUnderStrictAndNothingIsWritten() async throws {
        let server = try LoopbackSSHD()
        var endpoint = server.endpoint()
        endpoint.knownHostsFile = server.directory + "/absent_known_hosts"
        let connection = SSHConnection(endpoint: endpoint)
        let fingerprint = try HostCommand.fingerprint(ofPublicKey: server.hostKeyPublic)
        await #expect(
            throws: ConnectionError.hostKeyUnknown(
                host: "127.0.0.1", knownHostsFile: endpoint.knownHostsFile!, fingerprint: fingerprint)
        ) { try await connection.connect() }
        #expect(!FileManager.default.fileExists(atPath: endpoint.knownHostsFile!))
        await connection.close()
    }

    @Test func acceptNewRecordsAnUnknownKeyThatStrictThenAccepts() async throws {
        let server = try LoopbackSSHD()
        var endpoint = server.endpoint(policy: .acceptNew)
        endpoint.knownHostsFile = server.sshDirectory + "/known_hosts"
        let first = SSHConnection(endpoint: endpoint)
        try await first.connect()
        await first.close()
        let recorded = try String(contentsOfFile: endpoint.knownHostsFile!, encoding: .utf8)
        #expect(recorded.split(separator: "\n").count == 1)
        // ssh-keygen -F finds the entry libssh wrote, so OpenSSH agrees with it.
        let found = try HostCommand.run(
            ["/usr/bin/ssh-keygen", "-F", "[127.0.0.1]:\(server.port)", "-f", endpoint.knownHostsFile!])
        #expect(found.contains("ssh-ed25519"))
        endpoint.hostKeyPolicy = .strict
        let second = SSHConnection(endpoint: endpoint)
        try await second.connect()
        await second.close()
    }

    @Test func offPolicyConnectsDespiteAWrongKey() async throws {
        let server = try LoopbackSSHD()
        var endpoint = server.endpoint(policy: .off)
        endpoint.knownHostsFile = try knownHostsWithWrongKey(server)
        let connection = SSHConnection(endpoint: endpoint)
        #expect(try await connection.run("echo in").stdoutText == "in\n")
        await connection.close()
    }

    @Test func hashedHostFieldsMatchWhatSshKeygenWrote() throws {
        let directory = try HostCommand.temporaryDirectory("known-hosts")
        let path = directory + "/known_hosts"
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0yCO9mQ7ZbUJKcztRZ4SbKa0AsvZj6gw3lfhxIr1z6"
        try "# comment\nplain.example,10.0.0.1 \(key)\n[10.0.0.2]:2222 \(key)\n10.0.0.3 \(key)\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try HostCommand.run(["/usr/bin/ssh-keygen", "-H", "-f", path])
        let file = KnownHostsFile(path: path)
        for (host, port) in [("10.0.0.1", 22), ("plain.example", 22), ("10.0.0.2", 2222), ("10.0.0.3", 22)] {
            #expect(file.entries(host: host, port: port).map(\.line) == [try keygenLine(host, port, path)])
        }
        #expect(file.entries(host: "10.0.0.2", port: 22).isEmpty)
        #expect(file.entries(host: "10.0.0.3", port: 22).map(\.keyType) == ["ssh-ed25519"])
    }

    /// The line `ssh-keygen -F` reports for a host ("# Host ... found: line N").
    private func keygenLine(_ host: String, _ port: Int, _ path: String) throws -> Int? {
        let pattern = KnownHostsFile.hostPattern(host: host, port: port)
        let output = try HostCommand.run(["/usr/bin/ssh-keygen", "-F", pattern, "-f", path])
        return output.split(separator: "\n").first { $0.hasPrefix("# Host") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
    }

    @Test func sha1MatchesSha1sum() throws {
        for input in ["", "abc", String(repeating: "capstan ", count: 100)] {
            let directory = try HostCommand.temporaryDirectory("sha1")
            try input.write(toFile: directory + "/in", atomically: true, encoding: .utf8)
            let expected = try HostCommand.run(["/usr/bin/sha1sum", directory + "/in"]).prefix(40)
            let actual = Digest.sha1(Array(input.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(actual == expected)
        }
    }
}
