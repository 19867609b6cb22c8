import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanOutput
import CapstanTransport
import Foundation

/// `-i` and `--limit`, as in every Ansible command.
struct InventoryOptions: ParsableArguments {
    @Option(name: [.short, .customLong("inventory")], help: "Inventory file, directory or host list; repeatable.")
    var inventory: [String] = []

    @Option(name: [.short, .customLong("limit")], help: "Further limit hosts to a pattern (or @file).")
    var limit: String?

    @Flag(
        name: .customLong("no-lock"),
        help: "Run even while another run changes the same inventory's hosts (playbooks take a lock).")
    var noLock = false

    /// The sources to read: those given, else `inventory/hosts.ini` as Capstan ships it.
    var sources: [String] { inventory.isEmpty ? ["inventory/hosts.ini"] : inventory }
}

/// `--tags` and `--skip-tags`, as `ansible-playbook` takes them.
struct TagOptions: ParsableArguments {
    @Option(
        name: [.customShort("t"), .customLong("tags")],
        help: "Only run tasks with these tags (comma-separated; repeatable).")
    var tags: [String] = []

    @Option(name: .customLong("skip-tags"), help: "Skip tasks with these tags (comma-separated; repeatable).")
    var skipTags: [String] = []

    /// The tags asked for, `a,b` and repeated options merged.
    var only: Set<String> { Self.split(tags) }
    /// The tags to skip.
    var skip: Set<String> { Self.split(skipTags) }
    /// Whether neither option was given.
    var isEmpty: Bool { tags.isEmpty && skipTags.isEmpty }

    /// `a,b` and repeated options to one set.
    static func split(_ values: [String]) -> Set<String> {
        Set(
            values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { !$0.isEmpty })
    }
}

/// How to reach hosts: SSH user, key, host key policy, timeouts, privilege escalation.
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.short, .customLong("user")], help: "Connect as this user (when the inventory names none).")
    var user: String?

    @Option(name: .customLong("private-key"), help: "Private key file (when the inventory names none).")
    var privateKey: String?

    @Flag(name: [.customShort("k"), .customLong("ask-pass")], help: "Ask for the SSH password.")
    var askPass = false

    @Option(
        name: .customLong("host-key-policy"),
        help: "strict (default): known hosts only; accept-new: record unknown keys; off: no check (labs only).")
    var hostKeyPolicy: HostKeyPolicy?

    @Option(name: .customLong("known-hosts"), help: "known_hosts file to check host keys against.")
    var knownHosts: String?

    @Option(
        name: [.short, .customLong("connection")],
        help: "Connection type for hosts whose inventory names none: ssh (default) or local (this machine).")
    var connection: ConnectionType?

    @Option(name: [.customShort("T"), .customLong("timeout")], help: "Seconds allowed to connect to a host.")
    var timeout: Int = 10

    @Option(name: [.short, .customLong("forks")], help: "Hosts worked on at once.")
    var forks: Int = 50

    @Flag(name: [.short, .customLong("become")], help: "Run as another user through sudo.")
    var become = false

    @Option(name: .customLong("become-user"), help: "The user to become (default root).")
    var becomeUser: String?

    @Flag(name: [.customShort("K"), .customLong("ask-become-pass")], help: "Ask for the sudo password.")
    var askBecomePass = false

    @Option(
        name: .customLong("ssh-persist"),
        help: ArgumentHelp(
            "Keep SSH sessions open this many seconds after the run for the next run to reuse (default:"
                + " $CAPSTAN_SSH_PERSIST, else 0: off).",
            discussion:
                "Like OpenSSH's ControlPersist: a background keeper holds the sessions. Hosts with an SSH"
                + " password connect on their own."))
    var sshPersist: Int?

    /// The run-wide defaults, prompting for passwords without echo where asked.
    func defaults() throws -> ConnectionFactory.Defaults {
        var defaults = try ConnectionFactory.Defaults.fromCommandLine(
            user: user, privateKey: privateKey, hostKeyPolicy: hostKeyPolicy, knownHosts: knownHosts,
            timeout: timeout, become: become, becomeUser: becomeUser, askPass: askPass,
            askBecomePass: askBecomePass)
        defaults.connection = connection?.rawValue
        defaults.persistSeconds =
            sshPersist ?? ProcessInfo.processInfo.environment["CAPSTAN_SSH_PERSIST"].flatMap { Int($0) } ?? 0
        return defaults
    }
}

extension ConnectionFactory.Defaults {
    /// The defaults the connection options of any command give, prompting for passwords without
    /// echo where asked.
    static func fromCommandLine(
        user: String?, privateKey: String?, hostKeyPolicy: HostKeyPolicy?, knownHosts: String?, timeout: Int,
        become: Bool, becomeUser: String? = nil, askPass: Bool = false, askBecomePass: Bool
    ) throws -> Self {
        var d = Self()
        d.user = user
        d.privateKeyFile = privateKey
        if let hostKeyPolicy {
            d.hostKeyPolicy = hostKeyPolicy
            d.hostKeyPolicyIsExplicit = true
        }
        d.knownHostsFile = knownHosts
        d.connectTimeout = timeout
        d.forceBecome = become
        d.becomeUser = becomeUser
        if askPass { d.password = try PasswordPrompt.read("SSH password: ") }
        d.passphrasePrompt = PasswordPrompt.passphraseAsker()
        if askBecomePass { d.becomePassword = try PasswordPrompt.read("BECOME password: ") }
        return d
    }
}

extension HostKeyPolicy: ExpressibleByArgument {}

/// `-c`/`--connection`: the plugins Capstan implements under Ansible's names (`smart` and `paramiko`
/// are its SSH).
enum ConnectionType: String, ExpressibleByArgument, CaseIterable {
    case ssh, local, smart, paramiko
}

/// `--output text|json`.
struct OutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .customLong("output"), help: "text (default) or json: one JSON event per line.")
    var format: Format = .text

    @Option(
        name: .customLong("journal"),
        help:
            "Run journal (SQLite) to record into (default: $CAPSTAN_JOURNAL, else $XDG_STATE_HOME or $HOME/.local/state, then capstan/journal.sqlite)."
    )
    var journalPath: String?

    @Flag(name: .customLong("no-journal"), help: "Do not record this run in the journal.")
    var noJournal = false

    /// The journal to record into, unless turned off; a journal that cannot open only warns.
    func journal() -> Journal? {
        guard !noJournal else { return nil }
        do { return try Journal(path: journalPath ?? Journal.defaultPath) } catch {
            Diagnostics.printWarnings([
                Warning("the run journal could not be opened, this run is not recorded: \(error)")
            ])
            return nil
        }
    }

    /// The sink for this format.
    func sink() -> any OutputSink {
        switch format {
        case .json: return JSONLinesOutput()
        case .text:
            return AdHocTerminalOutput(style: .detect(fd: 1), progress: ProgressLine.ifTerminal())
        }
    }
}
