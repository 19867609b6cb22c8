import CLibSSH
import CapstanBasics
import Foundation

/// Authenticates a connected session: an explicit private key (or else the agent and default
/// identities, including the config's `IdentityFile`), then the agent, then a password. On failure the
/// error lists every method tried, in order.
struct SSHAuthenticator {
    let endpoint: SSHEndpoint
    let session: OpaquePointer

    func authenticate() throws {
        var tried: [String] = []
        if let path = endpoint.privateKeyPath {
            let key = try loadKey(path)
            defer { ssh_key_free(key) }
            if try attempt(ssh_userauth_publickey(session, nil, key)) { return }
            tried.append("publickey (\(path))")
            if endpoint.useAgent, ProcessInfo.processInfo.environment["SSH_AUTH_SOCK"] != nil {
                if try attempt(ssh_userauth_agent(session, nil)) { return }
                tried.append("agent")
            }
        } else {
            let result =
                endpoint.privateKeyPassphrase?.value.withCString { ssh_userauth_publickey_auto(session, nil, $0) }
                ?? ssh_userauth_publickey_auto(session, nil, nil)
            if try attempt(result) { return }
            tried.append("publickey (agent and default identities)")
        }
        if let password = endpoint.password {
            if try attempt(ssh_userauth_password(session, nil, password.value)) { return }
            tried.append("password")
        }
        let user = SSHSessionOptions.string(session, SSH_OPTIONS_USER) ?? endpoint.user ?? "?"
        throw ConnectionError.authenticationFailed(host: endpoint.host, user: user, methodsTried: tried)
    }

    /// True on success, false when refused; throws when the session itself failed.
    private func attempt(_ code: Int32) throws -> Bool {
        switch ssh_auth_e(code) {
        case SSH_AUTH_SUCCESS: return true
        case SSH_AUTH_DENIED, SSH_AUTH_PARTIAL: return false
        default:
            throw ConnectionError.protocolFailure(host: endpoint.host, detail: SSHSessionOptions.lastError(session))
        }
    }

    /// Imports the key, asking `passphrasePrompt` (through libssh's auth callback) for an encrypted key
    /// with no passphrase given. Never falls back to a terminal prompt.
    private func loadKey(_ path: String) throws -> OpaquePointer {
        var key: OpaquePointer?
        let box = PassphraseBox(prompt: endpoint.passphrasePrompt)
        let userdata = Unmanaged.passRetained(box)
        defer { userdata.release() }
        let callback: ssh_auth_callback = { prompt, buffer, length, _, _, userdata in
            guard let userdata, let buffer else { return -1 }
            let box = Unmanaged<PassphraseBox>.fromOpaque(userdata).takeUnretainedValue()
            let text = prompt.map { String(cString: $0) } ?? "Passphrase:"
            guard let secret = box.prompt?(text) else { return -1 }
            let bytes = Array(secret.value.utf8)
            guard bytes.count < length else { return -1 }
            for (i, byte) in bytes.enumerated() { buffer[i] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            return 0
        }
        let rc: Int32
        if let passphrase = endpoint.privateKeyPassphrase {
            rc = ssh_pki_import_privkey_file(path, passphrase.value, callback, userdata.toOpaque(), &key)
        } else {
            rc = ssh_pki_import_privkey_file(path, nil, callback, userdata.toOpaque(), &key)
        }
        guard rc == SSH_OK, let key else {
            let reason =
                FileManager.default.isReadableFile(atPath: path)
                ? "wrong passphrase, encrypted without one given, or not a private key" : "file not readable"
            throw ConnectionError.privateKeyUnusable(path: path, detail: reason)
        }
        return key
    }
}

/// Carries the passphrase prompt through libssh's `void *userdata`.
private final class PassphraseBox {
    let prompt: (@Sendable (String) -> Secret?)?
    init(prompt: (@Sendable (String) -> Secret?)?) { self.prompt = prompt }
}
