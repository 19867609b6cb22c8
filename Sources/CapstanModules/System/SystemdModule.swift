import CapstanBasics
import Collections

/// `systemd` (also `systemd_service`): a unit's state, enablement and mask, in one remote program that
/// reads `systemctl show` and `systemctl is-enabled`, then masks/unmasks, enables/disables and
/// starts/stops/restarts/reloads only what differs, in Ansible's order (mask, enable, state).
/// Check mode runs the same program with every `systemctl` change skipped.
public struct SystemdModule: Module {
    public static let name = "systemd"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", aliases: ["service", "unit"]),
        ArgumentDefinition("state", choices: ["reloaded", "restarted", "started", "stopped"]),
        ArgumentDefinition("enabled", .bool), ArgumentDefinition("force", .bool), ArgumentDefinition("masked", .bool),
        ArgumentDefinition("daemon_reload", .bool, aliases: ["daemon-reload"], default: false),
        ArgumentDefinition("daemon_reexec", .bool, aliases: ["daemon-reexec"], default: false),
        ArgumentDefinition("scope", choices: ["system", "user", "global"], default: "system"),
        ArgumentDefinition("no_block", .bool, default: false),
    ])

    /// What is asked of the unit; `nil` fields are left alone.
    struct Request: Sendable {
        var unit: String?
        var state: String?
        var enabled: Bool?
        var masked: Bool?
        var force = false
        var daemonReload = false
        var daemonReexec = false
        var scope = "system"
        var noBlock = false
    }

    let request: Request

    public init(arguments: ModuleArguments) throws {
        var r = Request()
        r.unit = arguments.string("name")
        r.state = arguments.string("state")
        r.enabled = arguments.optionalBool("enabled")
        r.masked = arguments.optionalBool("masked")
        r.force = arguments.bool("force")
        r.daemonReload = arguments.bool("daemon_reload")
        r.daemonReexec = arguments.bool("daemon_reexec")
        r.scope = arguments.string("scope") ?? "system"
        r.noBlock = arguments.bool("no_block")
        try self.init(request: r, module: Self.name)
    }

    /// Builds the module from an already-checked request (`service` comes this way).
    init(request: Request, module: String) throws {
        for (given, key) in [
            (request.state != nil, "state"), (request.enabled != nil, "enabled"), (request.masked != nil, "masked"),
        ]
        where given && request.unit == nil {
            throw ModuleArgumentError(module: module, message: "missing parameter(s) required by '\(key)': name")
        }
        if let unit = request.unit, unit.contains(where: { "*?[".contains($0) }) {
            let glob = unit.first { "*?[".contains($0) }!
            throw ModuleArgumentError(
                module: module,
                message:
                    "This module does not currently support using glob patterns, found '\(glob)' in service name: \(unit)"
            )
        }
        self.request = request
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let r = request
        let scopeFlag = r.scope == "system" ? "" : "--\(r.scope)"
        let report = try await RemoteProgram.run(
            [
                "unit": r.unit ?? "", "state": r.state ?? "", "check": RemoteProgram.flag(context.checkMode),
                "enabled": r.enabled.map(RemoteProgram.flag) ?? "", "masked": r.masked.map(RemoteProgram.flag) ?? "",
                "reload": RemoteProgram.flag(r.daemonReload), "reexec": RemoteProgram.flag(r.daemonReexec),
                "scope": scopeFlag, "noblock": r.noBlock ? "--no-block" : "", "force": r.force ? "--force" : "",
            ], SystemdProgram.body, in: context)
        var fields: OrderedDictionary<String, Value> = [:]
        if let unit = r.unit { fields["name"] = .string(unit) }
        guard report.succeeded else {
            return .failed(report.stderr.isEmpty ? "systemctl failed" : report.stderr, fields)
        }
        if report.flag("nosystemd") {
            return .failed("Service is in unknown state", fields.merging(["status": .dict([:])]) { a, _ in a })
        }
        fields["status"] = .dict(report.dict(prefix: "status."))
        if let state = r.state { fields["state"] = .string(state == "stopped" ? "stopped" : "started") }
        if let enabled = r.enabled { fields["enabled"] = .bool(enabled) }
        return ModuleOutcome(status: report.all("action").isEmpty ? .ok : .changed, fields: fields)
    }
}

/// `systemd_service`: the collection-era name of `systemd`.
public struct SystemdServiceModule: Module {
    public static let name = "systemd_service"
    public static let spec = SystemdModule.spec
    let inner: SystemdModule
    public init(arguments: ModuleArguments) throws { inner = try SystemdModule(arguments: arguments) }
    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await inner.run(in: context) }
}

/// The sh program behind `systemd` and `service`. Inputs: unit, state, enabled/masked (1, 0 or
/// empty), check, reload, reexec, scope (`--user`, `--global` or empty), noblock, force. Reports
/// `status.KEY=VALUE` from `systemctl show` (before any change) and one `action=VERB` per change.
enum SystemdProgram {
    static let body = NodePrograms.systemd
}
