import CapstanBasics
import CapstanInventory
import CapstanTransport

/// Turns a host's inventory settings into a `Connection`, applying the run's own choices (host key
/// policy, known_hosts, timeouts, prompted passwords) where the inventory says nothing.
public struct ConnectionFactory: Sendable {
    /// Choices made on the command line for every host of the run.
    public struct Defaults: Sendable {
        public var hostKeyPolicy: HostKeyPolicy = .strict
        /// True when the user chose the policy on the command line, which then beats the inventory's.
        public var hostKeyPolicyIsExplicit = false
        public var knownHostsFile: String?
        public var connectTimeout: Int = 10
        public var user: String?
        public var privateKeyFile: String?
        public var password: Secret?
        public var becomePassword: Secret?
        public var forceBecome = false
        public var becomeUser: String?
        /// Asks for an encrypted key's passphrase (the CLI prompts on a terminal); nil gives up on the key.
        public var passphrasePrompt: (@Sendable (String) -> Secret?)?
        /// Seconds the connection keeper holds SSH sessions after the run (`--ssh-persist`); 0 is off.
        public var persistSeconds = 0
        /// `-c`/`--connection`: the plugin for hosts whose variables name none (nil: `ssh`).
        public var connection: String?

        public init() {}
    }

    public var defaults: Defaults
    /// The directory relative key paths are read from (where capstan runs, as with ssh and Ansible).
    public var workingDirectory: String

    public init(defaults: Defaults, workingDirectory: String) {
        self.defaults = defaults
        self.workingDirectory = workingDirectory
    }

    /// A new, not yet opened connection for a host.
    public func connection(for settings: ConnectionSettings) -> any Connection {
        if settings.connection == "local" {
            return LocalConnection(host: settings.hostName)
        }
        // Inventory values win, then OpenSSH options written for Ansible, then the command line.
        let args = settings.sshArguments.map(SSHClientArguments.init(parsing:)) ?? SSHClientArguments()
        var endpoint = SSHEndpoint(
            host: settings.address, port: settings.port ?? args.port, user: settings.user ?? defaults.user,
            privateKeyPath: settings.privateKeyFile ?? args.identityFile ?? defaults.privateKeyFile,
            password: settings.password ?? defaults.password,
            connectTimeout: args.connectTimeout ?? defaults.connectTimeout,
            hostKeyPolicy: defaults.hostKeyPolicyIsExplicit
                ? defaults.hostKeyPolicy : (args.hostKeyPolicy ?? defaults.hostKeyPolicy),
            knownHostsFile: defaults.knownHostsFile ?? args.userKnownHostsFile)
        endpoint.passphrasePrompt = defaults.passphrasePrompt
        endpoint.keepaliveInterval = args.serverAliveInterval ?? endpoint.keepaliveInterval
        endpoint.keepaliveCountMax = args.serverAliveCountMax ?? endpoint.keepaliveCountMax
        if defaults.persistSeconds > 0,
            let kept = PersistentConnection(endpoint: endpoint, idleSeconds: defaults.persistSeconds)
        {
            return kept
        }
        return SSHConnection(endpoint: endpoint)
    }

    /// The per-command options a host's settings ask for (become through sudo), for Capstan's own
    /// programs (`subshell`; modules that run what the user wrote turn it off).
    public func commandOptions(for settings: ConnectionSettings) -> CommandOptions {
        var options = CommandOptions(subshell: true)
        if settings.become || defaults.forceBecome {
            options.become = Become(
                user: defaults.becomeUser ?? settings.becomeUser,
                password: settings.becomePassword ?? defaults.becomePassword)
        }
        return options
    }
}
