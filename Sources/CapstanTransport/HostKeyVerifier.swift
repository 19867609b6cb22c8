import CLibSSH

/// Checks the server's host key against known_hosts after `ssh_connect` (which checks nothing itself)
/// and applies the endpoint's `HostKeyPolicy`. A changed key is always refused and never recorded.
struct HostKeyVerifier {
    let endpoint: SSHEndpoint
    let session: OpaquePointer

    func verify() throws {
        if endpoint.hostKeyPolicy == .off { return }
        let state = ssh_session_is_known_server(session)
        switch state {
        case SSH_KNOWN_HOSTS_OK:
            return
        case SSH_KNOWN_HOSTS_CHANGED, SSH_KNOWN_HOSTS_OTHER:
            let (host, port) = resolvedHost()
            let key = serverKey()
            let file = blamedFile(host: host, port: port, keyType: key.type)
            throw ConnectionError.hostKeyChanged(
                host: endpoint.host, knownHostsFile: file.path, line: file.line, fingerprint: key.fingerprint)
        case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
            guard endpoint.hostKeyPolicy == .acceptNew else {
                throw ConnectionError.hostKeyUnknown(
                    host: endpoint.host, knownHostsFile: userKnownHosts, fingerprint: serverKey().fingerprint)
            }
            guard ssh_session_update_known_hosts(session) == SSH_OK else {
                throw ConnectionError.hostKeyCheckFailed(
                    host: endpoint.host,
                    detail: "could not record the key in \(userKnownHosts): \(SSHSessionOptions.lastError(session))")
            }
        default:
            throw ConnectionError.hostKeyCheckFailed(host: endpoint.host, detail: SSHSessionOptions.lastError(session))
        }
    }

    /// The user known_hosts file libssh used.
    private var userKnownHosts: String {
        SSHSessionOptions.string(session, SSH_OPTIONS_KNOWNHOSTS) ?? endpoint.knownHostsFile ?? "~/.ssh/known_hosts"
    }

    /// The host name and port as libssh looked them up (after the config's HostName and Port).
    private func resolvedHost() -> (String, Int) {
        (SSHSessionOptions.string(session, SSH_OPTIONS_HOST) ?? endpoint.host, SSHSessionOptions.port(session))
    }

    /// The file and line that recorded a different key: the user file first, then the global one.
    private func blamedFile(host: String, port: Int, keyType: String) -> (path: String, line: Int?) {
        let files = [userKnownHosts, SSHSessionOptions.string(session, SSH_OPTIONS_GLOBAL_KNOWNHOSTS)].compactMap { $0 }
        for path in files {
            if let line = KnownHostsFile(path: path).lineToBlame(host: host, port: port, keyType: keyType) {
                return (path, line)
            }
        }
        return (userKnownHosts, nil)
    }

    /// The server key's type name and SHA256 fingerprint (`SHA256:...`, as `ssh-keygen -l` prints it).
    private func serverKey() -> (type: String, fingerprint: String) {
        var key: OpaquePointer?
        guard ssh_get_server_publickey(session, &key) == SSH_OK, let key else { return ("unknown", "unknown key") }
        defer { ssh_key_free(key) }
        let type = ssh_key_type_to_char(ssh_key_type(key)).map { String(cString: $0) } ?? "unknown"
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let bytes = hash else {
            return (type, "unknown key")
        }
        defer { ssh_clean_pubkey_hash(&hash) }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, bytes, length) else {
            return (type, "unknown key")
        }
        defer { ssh_string_free_char(text) }
        return (type, String(cString: text))
    }
}
