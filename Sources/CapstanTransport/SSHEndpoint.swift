import CapstanBasics

/// Everything needed to open one SSH session: where, as whom, with which credentials, and how strictly
/// to check the server. Explicit fields win over `~/.ssh/config`; `nil` fields are left to the config
/// and then to libssh's defaults (port 22, the local user name).
public struct SSHEndpoint: Sendable, Hashable {
    /// Host name, address, or `~/.ssh/config` alias (a `Host` block's `HostName` applies to it).
    public var host: String
    /// TCP port; `nil` takes the config's `Port`, else 22.
    public var port: Int?
    /// Remote user; `nil` takes the config's `User`, else the local user.
    public var user: String?
    /// A private key file to authenticate with; `nil` tries the agent and the default identities
    /// (including the config's `IdentityFile`).
    public var privateKeyPath: String?
    /// The passphrase of an encrypted private key.
    public var privateKeyPassphrase: Secret?
    /// Asked for a passphrase (with libssh's prompt) when the key is encrypted and none was given;
    /// returning `nil` gives up on that key.
    public var passphrasePrompt: (@Sendable (String) -> Secret?)?
    /// A password for password authentication (`ansible_password`), tried after keys.
    public var password: Secret?
    /// Also try ssh-agent (when `SSH_AUTH_SOCK` is set) besides an explicit key.
    public var useAgent: Bool
    /// Seconds allowed for TCP connect plus the SSH handshake.
    public var connectTimeout: Int
    /// How to treat host keys that are not (or not as) recorded.
    public var hostKeyPolicy: HostKeyPolicy
    /// The user's known_hosts file; `nil` means `<sshDirectory>/known_hosts`.
    public var knownHostsFile: String?
    /// The system-wide known_hosts file; `nil` means `/etc/ssh/ssh_known_hosts`.
    public var globalKnownHostsFile: String?
    /// The `~/.ssh` directory; `nil` means the current user's.
    public var sshDirectory: String?
    /// Which OpenSSH client configuration to read.
    public var config: SSHConfigSource
    /// The most commands run at once on this session, each on its own channel (sshd's MaxSessions is 10).
    public var maxChannels: Int
    /// Seconds of silence from the server after which a keepalive that wants a reply is sent, and again
    /// each such interval (OpenSSH's `ServerAliveInterval`); 0 disables keepalives.
    public var keepaliveInterval: Int
    /// Unanswered intervals after which the host counts as gone (`ServerAliveCountMax`): by default a
    /// host that stops answering is given up after 15 × 3 = 45 s.
    public var keepaliveCountMax: Int
    /// Run commands (except become) through long-lived `/bin/sh -s` channels, one command at a time
    /// each, instead of a new channel per command: sshd then forks no session and runs no login shell
    /// per command (measured 2.7x faster per command than a channel each). On by default;
    /// `CAPSTAN_RESIDENT_SHELL=0` or `1` in the environment overrides it.
    public var residentShell: Bool
    /// How much of Capstan's own program text (bytes) each resident shell keeps as shell functions, to
    /// send a call instead of the text when one runs again (`ResidentProgramCache`). 0 by default: a
    /// session that ends with its run seldom runs the same program twice; a keeper's sessions keep
    /// `keeperProgramBytes`.
    public var keptProgramBytes: Int

    /// What a keeper's shells keep: a 20-task playbook's programs are about 40 KB, and the shell's
    /// forks grow dearer with what it holds (about 30 µs more each at this size on a lab node).
    public static let keeperProgramBytes = 96 * 1024

    /// Creates an endpoint with safe defaults: strict host key checking, a 10-second connect timeout,
    /// at most 8 channels at once, a keepalive after 15 silent seconds and the host given up after 45.
    public init(
        host: String, port: Int? = nil, user: String? = nil, privateKeyPath: String? = nil,
        privateKeyPassphrase: Secret? = nil, password: Secret? = nil, connectTimeout: Int = 10,
        hostKeyPolicy: HostKeyPolicy = .strict, knownHostsFile: String? = nil, sshDirectory: String? = nil,
        config: SSHConfigSource = .userAndSystem
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.privateKeyPath = privateKeyPath
        self.privateKeyPassphrase = privateKeyPassphrase
        self.passphrasePrompt = nil
        self.password = password
        self.useAgent = true
        self.connectTimeout = connectTimeout
        self.hostKeyPolicy = hostKeyPolicy
        self.knownHostsFile = knownHostsFile
        self.globalKnownHostsFile = nil
        self.sshDirectory = sshDirectory
        self.config = config
        self.maxChannels = 8
        self.keepaliveInterval = 15
        self.keepaliveCountMax = 3
        self.residentShell = true
        self.keptProgramBytes = 0
    }

    /// Endpoints are equal when they name the same session (host, port, user, key, directories).
    public static func == (lhs: SSHEndpoint, rhs: SSHEndpoint) -> Bool {
        lhs.identity == rhs.identity
    }

    /// Hashes the fields `==` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(identity)
    }

    /// The fields that say which session this is (closures cannot be compared).
    private var identity: [String] {
        [host, "\(port ?? -1)", user ?? "", privateKeyPath ?? "", sshDirectory ?? "", knownHostsFile ?? ""]
    }
}

/// What to do with a server's host key (OpenSSH's `StrictHostKeyChecking`).
public enum HostKeyPolicy: String, Sendable, Hashable, CaseIterable {
    /// Connect only to servers whose key is recorded in known_hosts (the default).
    case strict
    /// Record the key of a server never seen before; still refuse a key that changed.
    case acceptNew = "accept-new"
    /// Check nothing. For throwaway labs only; must be chosen explicitly.
    case off
}

/// Which OpenSSH client configuration libssh reads for `HostName`, `User`, `Port`, `IdentityFile`, `ProxyJump`.
public enum SSHConfigSource: Sendable, Hashable {
    /// No configuration file: only the endpoint's own fields count.
    case none
    /// `<sshDirectory>/config` and `/etc/ssh/ssh_config`, as the `ssh` command does.
    case userAndSystem
    /// Exactly this file.
    case file(String)
}
