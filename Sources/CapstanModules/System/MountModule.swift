import CapstanBasics
import Collections

/// `mount` (ansible.posix): an fstab entry and the mount itself, in one remote program. The fstab is
/// edited as Ansible's module edits it (a matching line is rewritten only when a field differs, a
/// new one appended; swap lines with `path: none` are told apart by `src`; fields escaped as
/// `\040`, `\046`, `\134`), and `mount`/`umount`/`mount -o remount` run with `-T FSTAB` for an
/// alternative fstab. A failed mount puts the old fstab back and removes the directories it made.
/// Check mode reads everything and writes nothing (Ansible's creates a missing fstab file even then).
public struct MountModule: Module {
    public static let name = "mount"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("boot", .bool, default: true), ArgumentDefinition("dump", default: "0"),
        ArgumentDefinition("fstab"), ArgumentDefinition("fstype"),
        ArgumentDefinition("path", .path, required: true, aliases: ["name"]), ArgumentDefinition("opts"),
        ArgumentDefinition("opts_no_log", .bool, default: false), ArgumentDefinition("passno", default: "0"),
        ArgumentDefinition("src", .path), ArgumentDefinition("backup", .bool, default: false),
        ArgumentDefinition(
            "state", required: true,
            choices: [
                "absent", "absent_from_fstab", "absent_mount", "mounted", "present", "unmounted", "remounted",
                "ephemeral",
            ]),
    ])

    /// The entry as Ansible's module keeps it (`args`), unescaped; also what the task returns.
    struct Entry: Sendable {
        var path: String
        var src: String?
        var fstype: String?
        var opts = "defaults"
        var dump = "0"
        var passno = "0"
        var fstab = "/etc/fstab"
        var boot = true
    }

    let entry: Entry
    let state: String
    let backup: Bool
    let warnings: [String]

    public init(arguments: ModuleArguments) throws {
        state = arguments.string("state") ?? ""
        if ["mounted", "present", "ephemeral"].contains(state) {
            let missing = ["src", "fstype"].filter { arguments[$0] == nil }
            if !missing.isEmpty {
                throw ModuleArgumentError(
                    module: Self.name,
                    message:
                        "state is \(state) but all of the following are missing: \(missing.joined(separator: ", "))")
            }
        }
        var e = Entry(path: arguments.string("path") ?? "")
        e.src = arguments.string("src")
        e.fstype = arguments.string("fstype")
        e.opts = arguments.string("opts") ?? "defaults"
        e.dump = arguments.string("dump") ?? "0"
        e.passno = arguments.string("passno") ?? "0"
        e.fstab = arguments.string("fstab") ?? "/etc/fstab"
        var warnings: [String] = []
        let opts = e.opts.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if arguments.bool("boot") && opts.contains("noauto") {
            warnings.append("Ignore the 'boot' due to 'opts' contains 'noauto'.")
        } else if !arguments.bool("boot") {
            e.boot = false
            e.opts = (opts + ["noauto"]).joined(separator: ",")
        }
        entry = e
        backup = arguments.bool("backup")
        self.warnings = warnings
    }

    /// Ansible's `_escape_fstab`: backslash, space and ampersand as octal escapes.
    static func escaped(_ field: String) -> String {
        field.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040")
            .replacingOccurrences(of: "&", with: "\\046")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let e = entry
        let report = try await RemoteProgram.run(
            [
                "name": e.path, "ename": Self.escaped(e.path), "src": e.src ?? "", "esrc": Self.escaped(e.src ?? ""),
                "hassrc": RemoteProgram.flag(e.src != nil), "fstype": e.fstype ?? "",
                "efstype": Self.escaped(e.fstype ?? ""), "opts": e.opts, "eopts": Self.escaped(e.opts),
                "dump": Self.escaped(e.dump), "passno": Self.escaped(e.passno), "fstab": e.fstab, "state": state,
                "backup": RemoteProgram.flag(backup), "check": RemoteProgram.flag(context.checkMode),
            ], MountProgram.fstab + MountProgram.body, in: context)
        var fields: OrderedDictionary<String, Value> = [
            "changed": false, "name": .string(e.path), "opts": .string(e.opts), "dump": .string(e.dump),
            "passno": .string(e.passno), "fstab": .string(e.fstab), "boot": .string(e.boot ? "yes" : "no"),
            "backup_file": .string(report["backup_file"] ?? ""),
        ]
        if let src = e.src { fields["src"] = .string(src) }
        if let fstype = e.fstype { fields["fstype"] = .string(fstype) }
        if !warnings.isEmpty { fields["warnings"] = .list(warnings.map(Value.string)) }
        guard report.succeeded else { return .failed(report.stderr, fields) }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok, fields: fields)
    }
}
