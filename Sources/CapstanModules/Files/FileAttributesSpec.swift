import CapstanBasics
import Collections

/// The file arguments every file module shares (`add_file_common_args`): mode, owner and group are
/// applied; the SELinux ones and `attributes` are accepted and ignored (Capstan's nodes run without
/// SELinux), `unsafe_writes` too (writes are always atomic).
public struct FileAttributesSpec: Sendable, Equatable {
    /// The wanted mode, if any.
    public var mode: FileMode?
    /// The wanted owner (name or number), if any.
    public var owner: String?
    /// The wanted group (name or number), if any.
    public var group: String?

    /// The argument definitions to add to a module's spec.
    public static let arguments: [ArgumentDefinition] = [
        ArgumentDefinition("mode", .raw), ArgumentDefinition("owner"), ArgumentDefinition("group"),
        ArgumentDefinition("seuser"), ArgumentDefinition("serole"), ArgumentDefinition("selevel"),
        ArgumentDefinition("setype"), ArgumentDefinition("attributes", aliases: ["attr"]),
        ArgumentDefinition("unsafe_writes", .bool, default: false),
    ]

    /// Attributes given directly (as `template` or tests do).
    public init(mode: FileMode? = nil, owner: String? = nil, group: String? = nil) {
        self.mode = mode
        self.owner = owner
        self.group = group
    }

    /// True when none of mode, owner and group is asked for.
    public var isEmpty: Bool { mode == nil && owner == nil && group == nil }

    /// Reads `mode`, `owner` and `group`; a bad mode is an argument error with Ansible's message.
    public init(arguments: ModuleArguments, module: String) throws {
        if let raw = arguments["mode"], raw != .null {
            do { mode = try FileMode.parse(raw) } catch let e as FileMode.ParseError {
                throw ModuleArgumentError(module: module, message: e.description)
            }
        }
        owner = arguments.string("owner").flatMap { $0.isEmpty ? nil : $0 }
        group = arguments.string("group").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What must change on a path whose current state is `state`; for a file about to be created
    /// (`state` nil) the mode starts from `0666 & ~umask` (`0777` for a directory).
    func changes(for state: RemoteFileState?, isDirectory: Bool, umask: UInt32) -> AttributeChanges {
        var result = AttributeChanges()
        let current = state?.mode ?? ((isDirectory ? 0o777 : 0o666) & ~umask)
        if let mode {
            let wanted = mode.resolve(current: current, isDirectory: isDirectory, umask: umask)
            if wanted != current {
                result.mode = wanted
                result.before["mode"] = .string(ModeParser.format(current))
                result.after["mode"] = .string(ModeParser.format(wanted))
            }
        }
        if let owner, state.map({ !$0.ownerMatches(owner) }) ?? true {
            result.owner = owner
            if let state { result.before["owner"] = .int(state.uid) }
            result.after["owner"] = Int(owner).map(Value.int) ?? .string(owner)
        }
        if let group, state.map({ !$0.groupMatches(group) }) ?? true {
            result.group = group
            if let state { result.before["group"] = .int(state.gid) }
            result.after["group"] = Int(group).map(Value.int) ?? .string(group)
        }
        return result
    }
}

/// The mode and ownership changes one path needs, as a shell step and as Ansible's diff fields.
struct AttributeChanges: Sendable {
    var mode: UInt32?
    var owner: String?
    var group: String?
    var before: OrderedDictionary<String, Value> = [:]
    var after: OrderedDictionary<String, Value> = [:]

    var isEmpty: Bool { mode == nil && owner == nil && group == nil }

    /// Sh lines applying the changes to the path in `pathExpression` (e.g. `"$p"`); a failure prints
    /// an `E` record with Ansible's message and stops the program. `-h` changes a symlink itself.
    func shell(_ pathExpression: String, noDereference: Bool = false) -> String {
        let h = noDereference ? "-h " : ""
        var s = ""
        if let owner {
            let q = ShellWords.quote(owner)
            s +=
                "chown \(h)\(q) -- \(pathExpression) 2>/dev/null || { "
                + "if id -u \(q) >/dev/null 2>&1; then echo 'E chown failed: [Errno 1] Operation not permitted'; "
                + "else echo \(ShellWords.quote("E chown failed: failed to look up user \(owner)")); fi; exit 0; }\n"
        }
        if let group {
            let q = ShellWords.quote(group)
            s +=
                "chgrp \(h)\(q) -- \(pathExpression) 2>/dev/null || { "
                + "if getent group \(q) >/dev/null 2>&1; then echo 'E chgrp failed'; "
                + "else echo \(ShellWords.quote("E chgrp failed: failed to look up group \(group)")); fi; exit 0; }\n"
        }
        // chmod on a symlink changes its target; Linux has no lchmod, so Ansible skips it too.
        if let mode, !noDereference {
            s += "chmod \(String(mode, radix: 8)) -- \(pathExpression) || { echo 'E chmod failed'; exit 0; }\n"
        }
        return s
    }

    /// Ansible's attribute diff (`before`/`after` hold only the changed keys).
    func diff(header: String) -> Value {
        .dict([
            "before": .dict(before), "after": .dict(after),
            "before_header": .string(header), "after_header": .string(header),
        ])
    }
}
