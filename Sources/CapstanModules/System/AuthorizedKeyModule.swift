import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `authorized_key` (ansible.posix): keeps ssh keys in a user's authorized_keys file. One program reads
/// the user and the file, Swift computes the new content exactly as the module does
/// (`AuthorizedKeysEdit`), and one more writes it with the module's folder and file modes (0700,
/// 0600) and ownership, only when something changes. Keys from a URL or a node file are not read here.
public struct AuthorizedKeyModule: Module {
    public static let name = "authorized_key"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("user", required: true), ArgumentDefinition("key", required: true),
        ArgumentDefinition("path", .path), ArgumentDefinition("manage_dir", .bool, default: true),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ArgumentDefinition("key_options"), ArgumentDefinition("exclusive", .bool, default: false),
        ArgumentDefinition("comment"), ArgumentDefinition("validate_certs", .bool, default: true),
        ArgumentDefinition("follow", .bool, default: false),
    ])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { self.arguments = arguments }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let user = arguments.string("user") ?? ""
        let key = arguments.string("key") ?? ""
        let path = arguments.string("path")
        if key.hasPrefix("http") || key.hasPrefix("file") {
            return .failed("capstan: authorized_key reads keys given in the task only, not from \(key)")
        }
        let edit = AuthorizedKeysEdit(
            keys: key, present: arguments.string("state") != "absent", keyOptions: arguments.string("key_options"),
            comment: arguments.string("comment"), exclusive: arguments.bool("exclusive"))
        let read = try await context.connection.run(
            RemoteProgram.assignments([
                "step": "read", "user": user, "path": path ?? "",
                "follow": RemoteProgram.flag(arguments.bool("follow")),
                "statfmt": RemoteFileState.statFormat,
            ]) + RemoteProgram.prelude + NodePrograms.authorizedKey, options: context.commandOptions)
        guard read.succeeded, let state = KeyFileState(read.stdout) else {
            return .failed("could not read the key file: \(read.stderrText)")
        }
        if state.account == nil && !(context.checkMode && path != nil) {
            if context.checkMode {
                return .failed("Either user must exist or you must provide full path to key file in check mode")
            }
            return .failed("Failed to lookup user \(user): \"getpwnam(): name not found: '\(user)'\"")
        }
        let result: (content: String, write: Bool)
        do { result = try edit.apply(to: state.content) } catch let e as AuthorizedKeysEdit.InvalidKey {
            return .failed(e.message)
        }
        var fields: OrderedDictionary<String, Value> = [:]
        // Ansible returns every parameter, unset ones as null.
        for def in Self.spec.arguments { fields[def.name] = arguments[def.name] ?? .null }
        fields["keyfile"] = .string(state.keyFile)
        guard result.write else { return ModuleOutcome(status: .ok, fields: Self.withPathInfo(fields, state.stat)) }
        if context.diffMode {
            fields["diff"] = .dict([
                "before_header": .string(state.keyFile), "after_header": .string(state.writeFile),
                "before": .string(state.content), "after": .string(result.content),
            ])
        }
        if !context.checkMode, let account = state.account {
            var options = context.commandOptions
            options.stdin = Array(result.content.utf8)
            let folder = path == nil ? account.home + "/.ssh" : PythonPath.dirname(path!)
            let written = try await context.connection.run(
                RemoteProgram.assignments([
                    "step": "write", "manage": RemoteProgram.flag(arguments.bool("manage_dir")), "sshdir": folder,
                    "file": state.writeFile, "uid": account.uid, "gid": account.gid, "path": path ?? "",
                    "statfmt": RemoteFileState.statFormat,
                ]) + RemoteProgram.prelude + NodePrograms.authorizedKey, options: options)
            guard written.succeeded else { return .failed(written.stderrText.trimmingTrailingNewlines()) }
            return ModuleOutcome(
                status: .changed, fields: Self.withPathInfo(fields, Self.finalStat(written.stdoutText)))
        }
        return ModuleOutcome(status: .changed, fields: Self.withPathInfo(fields, state.stat))
    }

    /// `AnsibleModule.add_path_info`: a result with a `path` gets the file's owner, mode, state and
    /// size (`state: absent` when it is missing); without one, nothing.
    static func withPathInfo(_ fields: OrderedDictionary<String, Value>, _ stat: RemoteFileState?)
        -> OrderedDictionary<String, Value>
    {
        guard let path = fields["path"], path != .null else { return fields }
        var fields = fields
        if let stat { fields.merge(stat.pathInfo) { _, new in new } } else { fields["state"] = "absent" }
        return fields
    }

    /// The `T` stat line a program printed last.
    static func finalStat(_ output: String) -> RemoteFileState? {
        output.split(separator: "\n").last { $0.hasPrefix("T ") }.flatMap {
            RemoteFileState(statLine: String($0.dropFirst(2)))
        }
    }

    /// What the read step found.
    struct KeyFileState {
        var account: (uid: String, gid: String, home: String)?
        var keyFile: String
        var writeFile: String
        var content: String
        var stat: RemoteFileState?

        init?(_ bytes: [UInt8]) {
            let marker = Array("=content\n".utf8)
            guard let at = bytes.firstRange(of: marker) else { return nil }
            let header = String(decoding: bytes[..<at.lowerBound], as: UTF8.self)
            content = String(decoding: bytes[at.upperBound...], as: UTF8.self)
            keyFile = ""
            writeFile = ""
            for line in header.split(separator: "\n") {
                let value = String(line.dropFirst(2))
                switch line.first {
                case "U":
                    let words = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                    if words.count == 3 { account = (String(words[0]), String(words[1]), String(words[2])) }
                case "K": keyFile = value
                case "W": writeFile = value
                case "T": stat = RemoteFileState(statLine: value)
                default: continue
                }
            }
        }
    }
}

/// Python's `os.path` for the few paths the modules compute on the controller.
enum PythonPath {
    /// `os.path.dirname`: everything before the last slash, trailing slashes removed unless all slashes.
    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let head = path[...slash]
        let trimmed = head.replacingOccurrences(of: "/+$", with: "", options: .regularExpression)
        return trimmed.isEmpty ? String(head) : trimmed
    }
}
