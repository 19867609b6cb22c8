import CapstanBasics
import Collections

/// `file`: a path's state (file, directory, link, hard, absent, touch), mode, owner, group and
/// times. One command looks (`FilePathFacts`), Swift decides (`FilePlan`), one more changes.
public struct FileModule: Module {
    public static let name = "file"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("path", .path, required: true, aliases: ["dest", "name"]),
            ArgumentDefinition("state", choices: ["absent", "directory", "file", "hard", "link", "touch"]),
            ArgumentDefinition("src", .path), ArgumentDefinition("recurse", .bool, default: false),
            ArgumentDefinition("force", .bool, default: false), ArgumentDefinition("follow", .bool, default: true),
            ArgumentDefinition("modification_time"),
            ArgumentDefinition("modification_time_format", default: "%Y%m%d%H%M.%S"),
            ArgumentDefinition("access_time"), ArgumentDefinition("access_time_format", default: "%Y%m%d%H%M.%S"),
            ArgumentDefinition("_original_basename"), ArgumentDefinition("_diff_peek"),
        ] + FileAttributesSpec.arguments)

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let path = arguments.string("path") ?? ""
        let src = arguments.string("src")
        let given = arguments.string("state")
        let recurse = arguments.bool("recurse")
        // A link with nothing to set on its target needs neither the target's stat nor its real path.
        let bareLink =
            given == "link" && attributes.isEmpty && arguments["modification_time"] == nil
            && arguments["access_time"] == nil
        let probe = FilePathFacts.program(
            path: path, source: given == "link" || given == "hard" ? src : nil, hard: given == "hard",
            recurse: recurse, follow: arguments.bool("follow"), linkTarget: !bareLink)
        let facts = FilePathFacts(
            report: FileReport(try await context.connection.run(probe, options: context.commandOptions).stdout))
        // Ansible: an unset state is the current one, else directory with recurse, else file.
        let state = given ?? (facts.state != nil ? facts.prevState : recurse ? "directory" : "file")
        if recurse && state != "directory" {
            return .failed("recurse option requires state to be 'directory'", ["path": .string(path)])
        }
        if src != nil && state != "link" && state != "hard" {
            return .failed("src option requires state to be 'link' or 'hard'", ["path": .string(path)])
        }
        let timestamps: FileTimestamps
        do { timestamps = try FileTimestamps(arguments: arguments, state: state) } catch let e as ModuleArgumentError {
            return .failed(e.message, ["path": .string(path)])
        }
        let planner = FilePlanner(
            path: path, src: src, facts: facts, attributes: attributes, timestamps: timestamps,
            follow: arguments.bool("follow"), force: arguments.bool("force"), recurse: recurse, state: state)
        let plan: FilePlan
        switch planner.plan() {
        case .failure(let msg, let extra): return .failed(msg, extra)
        case .plan(let p): plan = p
        }
        var fields = plan.fields
        if context.diffMode {
            fields["diff"] = .dict(["before": .dict(plan.diffBefore), "after": .dict(plan.diffAfter)])
        }
        if context.checkMode || plan.program.isEmpty {
            if let st = plan.finalState {
                fields.merge(st.pathInfo) { old, _ in old }
            } else {
                fields["state"] = "absent"
            }
            return ModuleOutcome(status: plan.changed ? .changed : .ok, fields: fields)
        }
        let program =
            FileShell.prelude + "p=\(ShellWords.quote(path))\n" + plan.program
            + "st \(ShellWords.quote(plan.resultPath))\n"
        let result = try await context.connection.run(program, options: context.commandOptions)
        let report = FileReport(result.stdout)
        if let error = report.error { return .failed(error, ["path": .string(path)]) }
        if !result.succeeded {
            return .failed("could not change \(path): \(result.stderrText)", ["path": .string(path)])
        }
        if let st = report.state { fields.merge(st.pathInfo) { old, _ in old } } else { fields["state"] = "absent" }
        return ModuleOutcome(status: .changed, fields: fields)
    }
}

/// What the `file` module will do: whether it changes anything, the sh lines that do it, the
/// result fields and the diff.
struct FilePlan {
    var changed = false
    var program = ""
    /// The path whose stat fills the result (`path`, or a symlink's target when followed).
    var resultPath: String
    /// Its state before the change, reported in check mode and when nothing changes.
    var finalState: RemoteFileState?
    var fields: OrderedDictionary<String, Value>
    var diffBefore: OrderedDictionary<String, Value>
    var diffAfter: OrderedDictionary<String, Value>

    init(path: String, key: String = "path", prevState: String, state: String) {
        resultPath = path
        fields = [key: .string(path)]
        diffBefore = ["path": .string(path)]
        diffAfter = ["path": .string(path)]
        if prevState != state {
            diffBefore["state"] = .string(prevState)
            diffAfter["state"] = .string(state)
        }
    }

    /// Adds mode/owner/group and time changes for `target` (nil: being created).
    mutating func setAttributes(
        _ attributes: FileAttributesSpec, timestamps: FileTimestamps, on target: String, state: RemoteFileState?,
        isDirectory: Bool, umask: UInt32, noDereference: Bool = false
    ) {
        let changes = attributes.changes(for: state, isDirectory: isDirectory, umask: umask)
        let quoted = ShellWords.quote(target)
        if !changes.isEmpty {
            changed = true
            program += changes.shell(quoted, noDereference: noDereference)
            diffBefore.merge(changes.before) { _, new in new }
            diffAfter.merge(changes.after) { _, new in new }
        }
        if state.map({ timestamps.changes($0) })
            ?? (timestamps.modification != .preserve || timestamps.access != .preserve)
        {
            changed = true
            program += timestamps.shell(quoted)
        }
    }
}
