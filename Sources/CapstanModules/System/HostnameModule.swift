import CapstanBasics
import Collections

/// `hostname`: the host's current and permanent name, in one remote program. On a systemd host (and
/// with `use: systemd` or `use: debian`, as Ansible maps them) it uses `hostnamectl` exactly as
/// Ansible's systemd strategy does; without systemd, or with `use: generic`, it writes `/etc/hostname`
/// and runs `hostname NAME` (Ansible's file strategy leaves the running name alone, and its generic
/// strategy is not implemented). Returns `name`, the `ansible_facts` Ansible returns, and in diff mode
/// a `diff` when something changed.
public struct HostnameModule: Module {
    public static let name = "hostname"
    /// The strategy names Ansible accepts for `use`.
    static let strategies = [
        "alpine", "debian", "freebsd", "generic", "macos", "macosx", "darwin", "openbsd", "openrc", "redhat", "sles",
        "solaris", "systemd",
    ]
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true), ArgumentDefinition("use", choices: strategies),
    ])

    let hostname: String
    /// `systemd`, `file` or `auto` (systemd when the host runs it, else file).
    let strategy: String

    public init(arguments: ModuleArguments) throws {
        hostname = arguments.string("name") ?? ""
        switch arguments.string("use") {
        case nil: strategy = "auto"
        case "systemd", "debian": strategy = "systemd"
        case "generic": strategy = "file"
        case let other?:
            throw ModuleArgumentError(
                module: Self.name, message: "hostname strategy '\(other)' is not supported by Capstan")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let report = try await RemoteProgram.run(
            ["name": hostname, "strategy": strategy, "check": RemoteProgram.flag(context.checkMode)],
            HostnameProgram.body,
            in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        let fqdn = report["fqdn"] ?? hostname
        let facts: OrderedDictionary<String, Value> = [
            "ansible_hostname": .string(String(hostname.split(separator: ".", omittingEmptySubsequences: false)[0])),
            "ansible_nodename": .string(hostname), "ansible_fqdn": .string(fqdn),
            "ansible_domain": .string(
                fqdn.split(separator: ".", omittingEmptySubsequences: false).dropFirst().joined(separator: ".")),
        ]
        var fields: OrderedDictionary<String, Value> = ["name": .string(hostname), "ansible_facts": .dict(facts)]
        let changed = report.flag("changed")
        if changed && context.diffMode {
            let current = report["current"] ?? ""
            let before = hostname != current ? current : report["permanent"] ?? ""
            fields["diff"] = .dict([
                "after": .string("hostname = \(hostname)\n"), "before": .string("hostname = \(before)\n"),
            ])
        }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }
}

/// The sh program behind `hostname`. Inputs: name, strategy (auto, systemd, file), check. Reports the
/// names before the change (`current`, `permanent`), `changed` and the host's `fqdn` afterwards.
enum HostnameProgram {
    static let body = NodePrograms.hostname
}
