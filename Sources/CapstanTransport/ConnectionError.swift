/// Why talking to a host failed. Each case has its own message; none collapses into a generic
/// "unreachable". Messages never contain passwords or passphrases.
public enum ConnectionError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Nothing listens on the port (TCP RST).
    case connectionRefused(host: String, port: Int)
    /// TCP connect or the SSH handshake did not finish within the connect timeout.
    case connectTimeout(host: String, port: Int, seconds: Int)
    /// The host name did not resolve.
    case dnsFailure(host: String, detail: String)
    /// The server refused every authentication method tried; `methodsTried` lists them in order.
    case authenticationFailed(host: String, user: String, methodsTried: [String])
    /// The private key file could not be read or decrypted.
    case privateKeyUnusable(path: String, detail: String)
    /// The server's key differs from the one recorded in `knownHostsFile` at `line`.
    case hostKeyChanged(host: String, knownHostsFile: String, line: Int?, fingerprint: String)
    /// The server's key is not in known_hosts and the policy does not allow recording it.
    case hostKeyUnknown(host: String, knownHostsFile: String, fingerprint: String)
    /// known_hosts could not be read or written.
    case hostKeyCheckFailed(host: String, detail: String)
    /// sudo needs a password and none was given.
    case becomePasswordRequired(host: String, user: String)
    /// sudo rejected the become password.
    case becomePasswordWrong(host: String, user: String)
    /// sudo failed before running the command for another reason (not in sudoers, no sudo...).
    case becomeFailed(host: String, user: String, detail: String)
    /// The command ran longer than its timeout and was killed.
    case commandTimeout(host: String, command: String, seconds: Double)
    /// A channel could not be opened or failed mid-command.
    case channelFailure(host: String, detail: String)
    /// A file transfer failed.
    case transferFailed(host: String, path: String, detail: String)
    /// The session dropped (network gone, server restarted) or was closed.
    case disconnected(host: String, detail: String)
    /// Any other SSH-level failure, with libssh's own message.
    case protocolFailure(host: String, detail: String)

    /// True for failures Ansible reports as UNREACHABLE (the host, not the task, is at fault).
    public var isUnreachable: Bool {
        switch self {
        case .connectionRefused, .connectTimeout, .dnsFailure, .authenticationFailed, .privateKeyUnusable,
            .hostKeyChanged, .hostKeyUnknown, .hostKeyCheckFailed, .disconnected, .protocolFailure:
            return true
        case .becomePasswordRequired, .becomePasswordWrong, .becomeFailed, .commandTimeout, .channelFailure,
            .transferFailed:
            return false
        }
    }

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case .connectionRefused(let host, let port):
            return "\(host): connection refused on port \(port) (is sshd running?)"
        case .connectTimeout(let host, let port, let seconds):
            return "\(host): timed out after \(seconds)s connecting to port \(port)"
        case .dnsFailure(let host, let detail):
            return "\(host): could not resolve host name: \(detail)"
        case .authenticationFailed(let host, let user, let methods):
            let tried = methods.isEmpty ? "none" : methods.joined(separator: ", ")
            return "\(host): authentication failed for user '\(user)'; methods tried: \(tried)"
        case .privateKeyUnusable(let path, let detail):
            return "private key \(path) could not be loaded: \(detail)"
        case .hostKeyChanged(let host, let file, let line, let fingerprint):
            let place = line.map { "\(file):\($0)" } ?? file
            return "\(host): HOST KEY CHANGED: the server offered \(fingerprint), which does not match the key "
                + "recorded at \(place); refusing to connect (remove that line if the change is expected)"
        case .hostKeyUnknown(let host, let file, let fingerprint):
            return "\(host): host key \(fingerprint) is not in \(file); refusing to connect "
                + "(add it, or use the accept-new host key policy)"
        case .hostKeyCheckFailed(let host, let detail):
            return "\(host): host key check failed: \(detail)"
        case .becomePasswordRequired(let host, let user):
            return "\(host): sudo to '\(user)' needs a password and no become password was given"
        case .becomePasswordWrong(let host, let user):
            return "\(host): sudo to '\(user)' rejected the become password"
        case .becomeFailed(let host, let user, let detail):
            return "\(host): sudo to '\(user)' failed: \(detail)"
        case .commandTimeout(let host, let command, let seconds):
            return "\(host): command timed out after \(seconds)s and was killed: \(command)"
        case .channelFailure(let host, let detail):
            return "\(host): SSH channel failed: \(detail)"
        case .transferFailed(let host, let path, let detail):
            return "\(host): transferring \(path) failed: \(detail)"
        case .disconnected(let host, let detail):
            return "\(host): connection lost: \(detail)"
        case .protocolFailure(let host, let detail):
            return "\(host): SSH failure: \(detail)"
        }
    }
}
