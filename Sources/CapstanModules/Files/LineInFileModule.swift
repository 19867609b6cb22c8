import CapstanBasics
import Collections

/// `lineinfile`: makes sure one line is in a file (or no line matching a pattern is). One command
/// reads the file, Swift computes the change (`LineInFileEdit`), one more writes it back if needed.
public struct LineInFileModule: Module {
    public static let name = "lineinfile"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
            ArgumentDefinition("regexp", aliases: ["regex"]), ArgumentDefinition("search_string"),
            ArgumentDefinition("line", aliases: ["value"]), ArgumentDefinition("insertafter"),
            ArgumentDefinition("insertbefore"), ArgumentDefinition("backrefs", .bool, default: false),
            ArgumentDefinition("create", .bool, default: false), ArgumentDefinition("backup", .bool, default: false),
            ArgumentDefinition("firstmatch", .bool, default: false), ArgumentDefinition("validate"),
        ] + FileAttributesSpec.arguments,
        mutuallyExclusive: [
            ["insertbefore", "insertafter"], ["regexp", "search_string"], ["backrefs", "search_string"],
        ])

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let path = arguments.string("path") ?? ""
        let present = arguments.string("state") != "absent"
        let regexpText = arguments.string("regexp")
        var edit = LineInFileEdit(
            searchString: arguments.string("search_string"), line: arguments.string("line"),
            insertAfter: arguments.string("insertafter"), insertBefore: arguments.string("insertbefore"),
            backrefs: arguments.bool("backrefs"), firstMatch: arguments.bool("firstmatch"))
        if present {
            if edit.backrefs && regexpText == nil { return .failed("regexp is required with backrefs=true") }
            if edit.line == nil { return .failed("line is required with state=present") }
            if edit.insertAfter == nil && edit.insertBefore == nil { edit.insertAfter = "EOF" }
        } else if regexpText == nil && edit.searchString == nil && edit.line == nil {
            return .failed("one of line, search_string, or regexp is required with state=absent")
        }
        if let validate = arguments.string("validate"), !validate.contains("%s") {
            return .failed("validate must contain %s: \(validate)")
        }
        do { edit.regexp = try regexpText.map { try PythonRegex($0) } } catch { return .failed("\(error)") }

        let file = try await RemoteTextFile.read(path, statted: !attributes.isEmpty, in: context)
        if file.isDirectory { return .failed("Path \(path) is a directory !", ["rc": 256]) }
        if let e = file.readError { return .failed(e) }
        let exists = file.exists
        if !exists {
            if !present { return ModuleOutcome(status: .ok, fields: ["msg": "file not present"]) }
            if !arguments.bool("create") { return .failed("Destination \(path) does not exist !", ["rc": 257]) }
        }
        let before = RemoteTextFile.lines(file.content ?? [])
        let result: LineInFileEdit.Result
        do { result = present ? try edit.present(before) : edit.absent(before) } catch { return .failed("\(error)") }
        let newContent = result.lines.flatMap { $0 }
        var fields: OrderedDictionary<String, Value> = [:]
        if !present { fields["found"] = .int(result.found) }
        let contentDiff: Value = .dict([
            "before": .string((file.content ?? []).text), "after": .string(newContent.text),
            "before_header": .string("\(path) (content)"), "after_header": .string("\(path) (content)"),
        ])
        if context.checkMode && !exists {
            fields["msg"] = .string(result.msg)
            fields["backup"] = ""
            if context.diffMode { fields["diff"] = contentDiff }
            return ModuleOutcome(status: result.changed ? .changed : .ok, fields: fields)
        }
        let written = try await file.write(
            result.changed ? newContent : nil, attributes: attributes, backup: arguments.bool("backup"),
            validate: arguments.string("validate"), in: context)
        if let failure = written.failure { return .failed(failure) }
        var msg = result.msg
        if written.attributesChanged {
            msg += (result.changed ? " and " : "") + "ownership, perms or SE linux context changed"
        }
        fields["msg"] = .string(msg)
        fields["backup"] = .string(written.backupFile ?? "")
        if context.diffMode {
            fields["diff"] = .list([contentDiff, written.attributeDiff.diff(header: "\(path) (file attributes)")])
        }
        return ModuleOutcome(status: result.changed || written.attributesChanged ? .changed : .ok, fields: fields)
    }
}
