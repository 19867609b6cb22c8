import CapstanBasics
import CapstanTransport

/// The OpenSSH options Capstan honours from `ansible_ssh_common_args` / `ansible_ssh_extra_args`,
/// so that an inventory written for Ansible (`-o UserKnownHostsFile=...`) means the same here.
/// Other options are ignored: libssh is not the ssh binary.
public struct SSHClientArguments: Sendable, Equatable {
    /// `-o UserKnownHostsFile=FILE`.
    public var userKnownHostsFile: String?
    /// `-o StrictHostKeyChecking=yes|accept-new|no|off`.
    public var hostKeyPolicy: HostKeyPolicy?
    /// `-o ConnectTimeout=SECONDS`.
    public var connectTimeout: Int?
    /// `-o ServerAliveInterval=SECONDS`: keepalives after that much silence from the server.
    public var serverAliveInterval: Int?
    /// `-o ServerAliveCountMax=N`: unanswered keepalives before the host counts as gone.
    public var serverAliveCountMax: Int?
    /// `-o Port=N` or `-p N`.
    public var port: Int?
    /// `-i FILE` or `-o IdentityFile=FILE`.
    public var identityFile: String?

    public init() {}

    /// Reads the options out of an argument string (shell-quoted, as Ansible passes it to ssh).
    public init(parsing text: String) {
        self.init()
        guard let words = try? ShellWords.split(text) else { return }
        var i = 0
        while i < words.count {
            let word = words[i]
            var option: String?
            if word == "-o", i + 1 < words.count {
                option = words[i + 1]
                i += 1
            } else if word.hasPrefix("-o") {
                option = String(word.dropFirst(2))
            } else if (word == "-p" || word == "-i"), i + 1 < words.count {
                if word == "-p" { port = Int(words[i + 1]) } else { identityFile = words[i + 1] }
                i += 1
            }
            if let option { apply(option) }
            i += 1
        }
    }

    private mutating func apply(_ option: String) {
        let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
        let pair: (String, String)
        if parts.count == 2 {
            pair = (parts[0], parts[1])
        } else {
            let spaced = option.split(separator: " ", maxSplits: 1).map(String.init)
            guard spaced.count == 2 else { return }
            pair = (spaced[0], spaced[1])
        }
        let value = pair.1.trimmingWhitespace()
        switch pair.0.lowercased() {
        case "userknownhostsfile": userKnownHostsFile = value.split(separator: " ").first.map(String.init)
        case "stricthostkeychecking":
            switch value.lowercased() {
            case "yes", "true": hostKeyPolicy = .strict
            case "accept-new": hostKeyPolicy = .acceptNew
            case "no", "off", "false": hostKeyPolicy = .off
            default: break
            }
        case "connecttimeout": connectTimeout = Int(value)
        case "serveraliveinterval": serverAliveInterval = Int(value).map { max(0, $0) }
        case "serveralivecountmax": serverAliveCountMax = Int(value).map { max(1, $0) }
        case "port": port = Int(value)
        case "identityfile": identityFile = value
        default: break
        }
    }
}
