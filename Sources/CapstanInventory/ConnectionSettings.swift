import CapstanBasics
import Collections
import Foundation

/// How to reach one host, taken from its merged variables with Ansible's names and aliases
/// (`ansible_host`, `ansible_port`/`ansible_ssh_port`, `ansible_user`/`ansible_ssh_user`, ...).
/// Values are taken as written: no templating, and relative key paths are not resolved (Ansible
/// leaves that to ssh, relative to the working directory); `resolvedPrivateKeyFile(relativeTo:)` helps.
public struct ConnectionSettings: Sendable, Equatable {
    /// The inventory name of the host.
    public var hostName: String
    /// Where to connect: `ansible_host`, else the inventory name.
    public var address: String
    /// `ansible_port` / `ansible_ssh_port`; nil means the connection's default (22 for ssh).
    public var port: Int?
    /// `ansible_user` / `ansible_ssh_user`; nil means the current user.
    public var user: String?
    /// `ansible_ssh_private_key_file` / `ansible_private_key_file`, exactly as written.
    public var privateKeyFile: String?
    /// `ansible_password` / `ansible_ssh_pass` / `ansible_ssh_password`.
    public var password: Secret?
    /// `ansible_connection`: the default connection (`ssh`) unless set (implicit localhost uses `local`).
    public var connection: String
    /// `ansible_become` (Ansible's boolean spellings accepted).
    public var become: Bool
    /// `ansible_become_method`, `sudo` by default.
    public var becomeMethod: String
    /// `ansible_become_user`, `root` by default.
    public var becomeUser: String
    /// `ansible_become_password` / `ansible_become_pass`.
    public var becomePassword: Secret?
    /// `ansible_ssh_common_args` and `ansible_ssh_extra_args` joined: OpenSSH options an inventory
    /// written for Ansible passes to ssh (`-o UserKnownHostsFile=...`).
    public var sshArguments: String?

    /// Reads the settings from a host's merged variables; `defaultConnection` is the plugin when the
    /// variables name none (`-c`/`--connection`, else `ssh`).
    public init(hostName: String, variables: OrderedDictionary<String, Value>, defaultConnection: String = "ssh") {
        func text(_ names: String...) -> String? {
            for n in names { if let v = variables[n], v != .null { return v.pythonString } }
            return nil
        }
        self.hostName = hostName
        address = text("ansible_host", "ansible_ssh_host") ?? hostName
        port = text("ansible_port", "ansible_ssh_port").flatMap { Int($0) }
        user = text("ansible_user", "ansible_ssh_user")
        privateKeyFile = text("ansible_ssh_private_key_file", "ansible_private_key_file")
        password = text("ansible_password", "ansible_ssh_pass", "ansible_ssh_password").map(Secret.init)
        connection = text("ansible_connection") ?? defaultConnection
        become = Self.boolean(variables["ansible_become"])
        becomeMethod = text("ansible_become_method") ?? "sudo"
        becomeUser = text("ansible_become_user") ?? "root"
        becomePassword = text("ansible_become_password", "ansible_become_pass").map(Secret.init)
        let sshArgs = [text("ansible_ssh_common_args"), text("ansible_ssh_extra_args")].compactMap { $0 }
        sshArguments = sshArgs.isEmpty ? nil : sshArgs.joined(separator: " ")
    }

    /// Ansible's `boolean()`: true for `True`, `yes`, `on`, `1`, `true`, `y`, `t` (any case) and 1.
    static func boolean(_ value: Value?) -> Bool {
        switch value {
        case .bool(let b): return b
        case .int(let i): return i == 1
        case .float(let d): return d == 1
        case .string(let s): return ["yes", "on", "1", "true", "y", "t"].contains(s.lowercased())
        default: return false
        }
    }

    /// The private key path made absolute against `directory` (e.g. the inventory's folder) when relative.
    public func resolvedPrivateKeyFile(relativeTo directory: String) -> String? {
        guard let key = privateKeyFile else { return nil }
        let expanded = (key as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return ((directory as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
