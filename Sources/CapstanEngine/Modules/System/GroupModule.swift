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
    static let body = #"""
        gr=$(getent group -- "$name")
        gid_of() { g=${gr#*:}; g=${g#*:}; printf '%s' "${g%%:*}"; }
        run() { out=$("$@" 2>&1) || { rc=$?; printf '%s\n' "$out" >&2; exit "$rc"; }; }
        changed=0
        if [ "$state" = absent ]; then
            if [ -n "$gr" ]; then
                changed=1
                [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
                run groupdel -- "$name"
            fi
        elif [ -z "$gr" ]; then
            [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
            set -- "$name"
            [ "$system" = 1 ] && set -- -r "$@"
            if [ -n "$gid" ]; then [ "$non_unique" = 1 ] && set -- -o "$@"; set -- -g "$gid" "$@"; fi
            run groupadd "$@"
            changed=1
        elif [ -n "$gid" ] && [ "$(gid_of)" != "$gid" ]; then
            changed=1
            if [ "$check" = 0 ]; then
                set -- -g "$gid" "$name"
                [ "$non_unique" = 1 ] && set -- -o "$@"
                run groupmod "$@"
            fi
        fi
        say changed "$changed"
        [ "$changed" = 0 ] || gr=$(getent group -- "$name")
        [ -z "$gr" ] || { g=${gr#*:}; g=${g#*:}; say gid "${g%%:*}"; }
        """#
}
