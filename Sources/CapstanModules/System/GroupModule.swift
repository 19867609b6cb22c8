import CapstanBasics
import Collections

/// `group`: a local group through groupadd/groupmod/groupdel, in one remote program that reads
/// `getent group` first. Returns `name`, `state`, and for a group that exists afterwards `system`
/// and `gid`, as Ansible's module does (check mode returns only `changed` when it would add or remove).
public struct GroupModule: Module {
    public static let name = "group"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true), ArgumentDefinition("gid", .int),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ArgumentDefinition("system", .bool, default: false), ArgumentDefinition("non_unique", .bool, default: false),
        ArgumentDefinition("force", .bool, default: false), ArgumentDefinition("local", .bool, default: false),
    ])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws {
        if arguments.bool("non_unique") && arguments["gid"] == nil {
            throw ModuleArgumentError(
                module: Self.name, message: "non_unique is True but all of the following are missing: gid")
        }
        self.arguments = arguments
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        let group = a.string("name") ?? ""
        let state = a.string("state") ?? "present"
        let report = try await RemoteProgram.run(
            [
                "name": group, "state": state, "gid": a["gid"].map(\.pythonString) ?? "",
                "system": RemoteProgram.flag(a.bool("system")), "non_unique": RemoteProgram.flag(a.bool("non_unique")),
                "force": RemoteProgram.flag(a.bool("force")), "check": RemoteProgram.flag(context.checkMode),
            ], GroupProgram.body, in: context)
        guard report.succeeded else { return .failed(report.stderr, ["name": .string(group)]) }
        let changed = report.flag("changed")
        if report.flag("short") { return ModuleOutcome(status: .changed) }
        var fields: OrderedDictionary<String, Value> = ["name": .string(group), "state": .string(state)]
        if let gid = report["gid"].flatMap({ Int($0) }) {
            fields["system"] = .bool(a.bool("system"))
            fields["gid"] = .int(gid)
        }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }
}

/// The sh program behind `group`. Inputs: name, state, gid, system, non_unique, force, check.
/// Reports `changed`, `short` (check mode stopped early) and the group's `gid` afterwards. `force` is
/// accepted and, as by Ansible's Linux implementation, not passed to groupdel.
enum GroupProgram {
    static let body = NodePrograms.group
}
