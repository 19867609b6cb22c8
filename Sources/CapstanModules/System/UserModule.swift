import CapstanBasics
import Collections

/// `user`: a local account through useradd/usermod/userdel, in one remote program that reads the
/// account (`getent passwd`, `getent group`, `/etc/shadow`) and changes only what differs, with
/// Ansible's rules for `groups`/`append` and `update_password`. The password hash goes to the host on
/// standard input and is set with `chpasswd -e`, never in a command line, and is returned as
/// `NOT_LOGGING_PASSWORD`.
public struct UserModule: Module {
    public static let name = "user"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true, aliases: ["user"]),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ArgumentDefinition("uid", .int), ArgumentDefinition("non_unique", .bool, default: false),
        ArgumentDefinition("group"), ArgumentDefinition("groups", .list), ArgumentDefinition("comment"),
        ArgumentDefinition("home", .path), ArgumentDefinition("shell", .path), ArgumentDefinition("password"),
        ArgumentDefinition("force", .bool, default: false), ArgumentDefinition("remove", .bool, default: false),
        ArgumentDefinition("create_home", .bool, aliases: ["createhome"], default: true),
        ArgumentDefinition("system", .bool, default: false), ArgumentDefinition("move_home", .bool, default: false),
        ArgumentDefinition("append", .bool, default: false),
        ArgumentDefinition("update_password", choices: ["always", "on_create"], default: "always"),
    ])

    let arguments: ModuleArguments
    let groups: String?

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        groups = arguments["groups"]?.listValue.map { $0.map(\.pythonString).joined(separator: ",") }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        let user = a.string("name") ?? ""
        let state = a.string("state") ?? "present"
        let password = a.string("password")
        var options = context.commandOptions
        // The hash travels on stdin, never in the program text; without one the program reads nothing.
        if let password { options.stdin = Array((password + "\n").utf8) }
        let inputs: KeyValuePairs<String, String> = [
            "name": user, "state": state, "uid": a["uid"].map(\.pythonString) ?? "",
            "non_unique": RemoteProgram.flag(a.bool("non_unique")), "group": a.string("group") ?? "",
            "has_groups": RemoteProgram.flag(groups != nil), "groups": groups ?? "",
            "has_comment": RemoteProgram.flag(a["comment"] != nil), "comment": a.string("comment") ?? "",
            "home": a.string("home") ?? "", "shell": a.string("shell") ?? "",
            "has_password": RemoteProgram.flag(password != nil), "force": RemoteProgram.flag(a.bool("force")),
            "remove": RemoteProgram.flag(a.bool("remove")), "create_home": RemoteProgram.flag(a.bool("create_home")),
            "system": RemoteProgram.flag(a.bool("system")), "move_home": RemoteProgram.flag(a.bool("move_home")),
            "append": RemoteProgram.flag(a.bool("append")), "update_password": a.string("update_password") ?? "always",
            "check": RemoteProgram.flag(context.checkMode),
        ]
        let program = RemoteProgram.assignments(inputs) + RemoteProgram.prelude + UserProgram.body
        let report = ProgramReport(try await context.connection.run(program, options: options))
        guard report.succeeded else {
            return .failed(report.stderr, ["name": .string(user), "rc": .int(Int(report.exitStatus ?? 1))])
        }
        let changed = report.flag("changed")
        if context.checkMode && report.flag("short") { return ModuleOutcome(status: changed ? .changed : .ok) }
        var fields: OrderedDictionary<String, Value> = ["name": .string(user), "state": .string(state)]
        if state == "absent" {
            if changed {
                fields["force"] = .bool(a.bool("force"))
                fields["remove"] = .bool(a.bool("remove"))
            }
            return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
        }
        if report.flag("created") {
            fields["system"] = .bool(a.bool("system"))
            fields["create_home"] = .bool(a.bool("create_home"))
        } else {
            fields["append"] = .bool(a.bool("append"))
            fields["move_home"] = .bool(a.bool("move_home"))
        }
        if password != nil { fields["password"] = "NOT_LOGGING_PASSWORD" }
        for (key, reported) in [("uid", "uid"), ("group", "gid")] {
            if let n = report[reported].flatMap({ Int($0) }) { fields[key] = .int(n) }
        }
        for key in ["comment", "home", "shell"] { fields[key] = .string(report[key] ?? "") }
        if let groups { fields["groups"] = .string(groups) }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }
}
