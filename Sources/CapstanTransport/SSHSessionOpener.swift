import CLibSSH
import Foundation

/// Turns an `SSHEndpoint` into a connected, verified, authenticated libssh session.
/// Runs on the session's own thread: every call here blocks (bounded by the connect timeout).
struct SSHSessionOpener {
    /// Where to connect and how.
    let endpoint: SSHEndpoint

    /// Opens the session or throws a `ConnectionError` saying which step failed.
    func open() throws -> OpaquePointer {
        _ = Self.cryptoKeptAtExit
        guard let session = ssh_new() else {
            throw ConnectionError.protocolFailure(host: endpoint.host, detail: "ssh_new failed")
        }
        do {
            try configure(session)
            try connect(session)
            try HostKeyVerifier(endpoint: endpoint, session: session).verify()
            try SSHAuthenticator(endpoint: endpoint, session: session).authenticate()
            return session
        } catch {
            ssh_disconnect(session)
            ssh_free(session)
            throw error
        }
    }

    /// Done once, before libssh first uses OpenSSL: session threads may still run when the process
    /// exits (a keeper's, a test's), and OpenSSL's own exit handler would free what they use.
    static let cryptoKeptAtExit: Bool = capstan_openssl_keep_state_at_exit() == 1

    /// Applies options in precedence order: the config file first, then every explicit endpoint field,
    /// so inventory settings override `~/.ssh/config` the way `ssh -o` overrides it.
    private func configure(_ session: OpaquePointer) throws {
        var ok = true
        if let dir = endpoint.sshDirectory { ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_SSH_DIR, dir) }
        ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_HOST, endpoint.host)
        switch endpoint.config {
        case .none: break
        case .userAndSystem: ok = ok && ssh_options_parse_config(session, nil) == SSH_OK
        case .file(let path): ok = ok && ssh_options_parse_config(session, path) == SSH_OK
        }
        // The config was read above, deliberately; ssh_connect must not read it again over our settings.
        ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_PROCESS_CONFIG, bool: false)
        if let port = endpoint.port {
            ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_PORT, unsigned: UInt32(port))
        }
        if let user = endpoint.user { ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_USER, user) }
        if let file = endpoint.knownHostsFile {
            ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_KNOWNHOSTS, file)
        }
        ok =
            ok
            && SSHSessionOptions.set(
                session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, endpoint.globalKnownHostsFile ?? "/etc/ssh/ssh_known_hosts")
        ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_TIMEOUT, long: endpoint.connectTimeout)
        // Without TCP_NODELAY every small request waits for a delayed ACK: 44 ms a command instead of 2.
        ok = ok && SSHSessionOptions.set(session, SSH_OPTIONS_NODELAY, int: 1)
        guard ok else {
            throw ConnectionError.protocolFailure(
                host: endpoint.host, detail: "invalid SSH option: \(SSHSessionOptions.lastError(session))")
        }
    }

    private func connect(_ session: OpaquePointer) throws {
        guard ssh_connect(session) != SSH_OK else { return }
        let message = SSHSessionOptions.lastError(session)
        let host = endpoint.host
        let port = SSHSessionOptions.port(session)
        throw Self.classifyConnectFailure(message, host: host, port: port, timeout: endpoint.connectTimeout)
    }

    /// Maps libssh's connect error text to a `ConnectionError` (libssh 0.10 has no error codes for these).
    static func classifyConnectFailure(_ message: String, host: String, port: Int, timeout: Int) -> ConnectionError {
        let lower = message.lowercased()
        if lower.contains("connection refused") { return .connectionRefused(host: host, port: port) }
        if lower.contains("timeout") || lower.contains("timed out") {
            return .connectTimeout(host: host, port: port, seconds: timeout)
        }
        if lower.contains("resolve") || lower.contains("name or service not known")
            || lower.contains("getaddrinfo")
        {
            return .dnsFailure(host: host, detail: message)
        }
        return .protocolFailure(host: host, detail: message)
    }
}
