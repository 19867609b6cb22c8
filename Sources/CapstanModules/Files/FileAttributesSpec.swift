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

    /// The call applying the changes to the path in `pathExpression` (e.g. `"$p"`), or nothing when
    /// there are none (`attrs` in `file-attributes.sh`); a failure prints an `E` record with Ansible's
    /// message and stops the program. `noDereference` changes a symlink itself, and so leaves its mode:
    /// chmod on a symlink changes its target; Linux has no lchmod, so Ansible skips it too.
    func shell(_ pathExpression: String, noDereference: Bool = false) -> String {
        guard owner != nil || group != nil || (mode != nil && !noDereference) else { return "" }
        return "attrs \(pathExpression) \(shellArguments(noDereference: noDereference))\(noDereference ? " -h" : "")\n"
    }

    /// `OWNER GROUP MODE` as `attrs` and `mkparents` take them: quoted words, an empty one for a
    /// change not needed.
    func shellArguments(noDereference: Bool) -> String {
        let modeText = noDereference ? nil : mode.map { String($0, radix: 8) }
        return [owner, group, modeText].map { ShellWords.quote($0 ?? "") }.joined(separator: " ")
    }

    /// Ansible's attribute diff (`before`/`after` hold only the changed keys).
    func diff(header: String) -> Value {
        .dict([
            "before": .dict(before), "after": .dict(after),
            "before_header": .string(header), "after_header": .string(header),
        ])
    }
}
