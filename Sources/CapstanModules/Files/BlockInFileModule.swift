import CapstanBasics
import Collections

/// `blockinfile`: keeps a block of lines between two marker lines in a file. One command reads the
/// file, Swift computes the change (`BlockInFileEdit`), one more writes it back if needed.
public struct BlockInFileModule: Module {
    public static let name = "blockinfile"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
            ArgumentDefinition("marker", default: "# {mark} ANSIBLE MANAGED BLOCK"),
            ArgumentDefinition("block", aliases: ["content"], default: ""), ArgumentDefinition("insertafter"),
            ArgumentDefinition("insertbefore"), ArgumentDefinition("create", .bool, default: false),
            ArgumentDefinition("backup", .bool, default: false), ArgumentDefinition("validate"),
            ArgumentDefinition("marker_begin", default: "BEGIN"), ArgumentDefinition("marker_end", default: "END"),
            ArgumentDefinition("append_newline", .bool, default: false),
            ArgumentDefinition("prepend_newline", .bool, default: false),
            ArgumentDefinition("encoding", default: "utf-8"),
        ] + FileAttributesSpec.arguments,
        mutuallyExclusive: [["insertbefore", "insertafter"]])

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let path = arguments.string("path") ?? ""
        let present = arguments.string("state") != "absent"
        if let validate = arguments.string("validate"), !validate.contains("%s") {
            return .failed("validate must contain %s: \(validate)")
        }
        let file = try await RemoteTextFile.read(path, statted: !attributes.isEmpty, in: context)
        if file.isDirectory { return .failed("Path \(path) is a directory !", ["rc": 256]) }
        if let e = file.readError { return .failed(e) }
        let exists = file.exists
        if !exists && !arguments.bool("create") { return .failed("Path \(path) does not exist !", ["rc": 257]) }
        if !present && !exists { return ModuleOutcome(status: .ok, fields: ["msg": "File not present"]) }
        let edit = BlockInFileEdit(
            block: arguments.string("block") ?? "", marker: arguments.string("marker") ?? "",
            markerBegin: arguments.string("marker_begin") ?? "BEGIN",
            markerEnd: arguments.string("marker_end") ?? "END",
            insertAfter: arguments.string("insertafter"), insertBefore: arguments.string("insertbefore"),
            present: present, appendNewline: arguments.bool("append_newline"),
            prependNewline: arguments.bool("prepend_newline"))
        let result: (content: [UInt8], hasBlock: Bool)
        do { result = try edit.apply(to: file.content) } catch { return .failed("\(error)") }
        let changed = !exists || result.content != (file.content ?? [])
        let msg = !changed ? "" : !exists ? "File created" : result.hasBlock ? "Block inserted" : "Block removed"
        var fields: OrderedDictionary<String, Value> = [:]
        let diff: Value = .dict([
            "before": .string((file.content ?? []).text), "after": .string(result.content.text),
            "before_header": .string("\(path) (content)"), "after_header": .string("\(path) (content)"),
        ])
        if context.checkMode && !exists {
            fields["msg"] = .string(msg)
            if context.diffMode { fields["diff"] = diff }
            return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
        }
        let written = try await file.write(
            changed ? result.content : nil, attributes: attributes, backup: arguments.bool("backup"),
            validate: arguments.string("validate"), in: context)
        if let failure = written.failure { return .failed(failure) }
        var fullMessage = msg
        if written.attributesChanged {
            fullMessage += (changed ? " and " : "") + "ownership, perms or SE linux context changed"
        }
        fields["msg"] = .string(fullMessage)
        if let backup = written.backupFile { fields["backup_file"] = .string(backup) }
        if context.diffMode {
            fields["diff"] = .list([diff, written.attributeDiff.diff(header: "\(path) (file attributes)")])
        }
        return ModuleOutcome(status: changed || written.attributesChanged ? .changed : .ok, fields: fields)
    }
}
