import Testing

@testable import CapstanExecution
@testable import CapstanInventory
@testable import CapstanTransport

/// OpenSSH options written for Ansible (`ansible_ssh_common_args`) reach the SSH endpoint.
@Suite struct SSHClientArgumentsTests {
    @Test func serverAliveOptionsSetTheKeepalives() throws {
        let parsed = SSHClientArguments(
            parsing: "-o ServerAliveInterval=5 -o 'ServerAliveCountMax 4' -o ConnectTimeout=7")
        #expect(parsed.serverAliveInterval == 5)
        #expect(parsed.serverAliveCountMax == 4)
        #expect(parsed.connectTimeout == 7)
        let settings = ConnectionSettings(
            hostName: "h",
            variables: ["ansible_ssh_common_args": "-o ServerAliveInterval=5 -o ServerAliveCountMax=4"])
        let connection = try #require(
            ConnectionFactory(defaults: .init(), workingDirectory: "/").connection(for: settings) as? SSHConnection)
        #expect(connection.endpoint.keepaliveInterval == 5)
        #expect(connection.endpoint.keepaliveCountMax == 4)
        let plain = try #require(
            ConnectionFactory(defaults: .init(), workingDirectory: "/").connection(
                for: ConnectionSettings(hostName: "h", variables: [:])) as? SSHConnection)
        #expect(plain.endpoint.keepaliveInterval * plain.endpoint.keepaliveCountMax == 45)
    }
}
