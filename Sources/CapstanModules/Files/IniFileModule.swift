import CapstanBasics
import Collections

/// `ini_file` (community.general): one command reads the file, Swift computes the new text as the
/// module does (`IniFileEdit`), one more writes it back atomically (with backup, mode and owner) when
/// it changed. The file is read as Python's text mode reads it: a UTF-8 byte order mark dropped and
/// `\r\n` or `\r` line ends made `\n`, which a rewrite keeps.
public struct IniFileModule: Module {
    public static let name = "ini_file"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("path", .path, required: true, aliases: ["dest"]),
            ArgumentDefinition("section"),
            ArgumentDefinition(
                "section_has_values", .list, elements: .dict,
                options: ArgumentSpec(
                    [
                        ArgumentDefinition("option", required: true), ArgumentDefinition("value"),
                        ArgumentDefinition("values", .list, elements: .string),
                    ], mutuallyExclusive: [["value", "values"]])),
            ArgumentDefinition("option"), ArgumentDefinition("value"),
            ArgumentDefinition("values", .list, elements: .string),
            ArgumentDefinition("backup", .bool, default: false),
            ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
            ArgumentDefinition("exclusive", .bool, default: true),
            ArgumentDefinition("no_extra_spaces", .bool, default: false),
            ArgumentDefinition("ignore_spaces", .bool, default: false),
            ArgumentDefinition("allow_no_value", .bool, default: false),
            ArgumentDefinition("modify_inactive_option", .bool, default: true),
            ArgumentDefinition("create", .bool, default: true), ArgumentDefinition("follow", .bool, default: false),
        ] + FileAttributesSpec.arguments,
        mutuallyExclusive: [["value", "values"]])

    let path: String
    let edit: IniFileEdit
    let backup: Bool
    let create: Bool
    let follow: Bool
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        path = arguments.string("path") ?? ""
        let present = arguments.string("state") != "absent"
        let value = arguments.string("value")
        let values = arguments["values"]?.listValue?.compactMap(\.stringValue)
        let allowNoValue = arguments.bool("allow_no_value")
        if present && !allowNoValue && value == nil && (values ?? []).isEmpty {
            throw ModuleArgumentError(
                module: Self.name,
                message: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False.")
        }
        let conditions = arguments["section_has_values"]?.listValue?.compactMap { item -> IniFileEdit.Condition? in
            guard let d = item.dictValue else { return nil }
            let values: [String]
            if let one = d["value"]?.stringValue {
                values = [one]
            } else {
                values = d["values"]?.listValue?.compactMap(\.stringValue) ?? []
            }
            return IniFileEdit.Condition(option: d["option"]?.stringValue ?? "", values: values)
        }
        edit = IniFileEdit(
            section: arguments.string("section"), sectionHasValues: conditions, option: arguments.string("option"),
            values: value.map { [$0] } ?? values ?? [], present: present, exclusive: arguments.bool("exclusive"),
            noExtraSpaces: arguments.bool("no_extra_spaces"), ignoreSpaces: arguments.bool("ignore_spaces"),
            allowNoValue: allowNoValue, modifyInactiveOption: arguments.bool("modify_inactive_option"))
        backup = arguments.bool("backup")
        create = arguments.bool("create")
        follow = arguments.bool("follow")
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let file = try await RemoteTextFile.read(path, statted: !attributes.isEmpty, in: context)
        if let e = file.readError { return .failed(e) }
        if file.isDirectory { return .failed("[Errno 21] Is a directory: '\(path)'") }
        if !file.exists && !create { return .failed("Destination \(path) does not exist!", ["rc": 257]) }
        guard let text = Self.pythonText(file.content ?? []) else {
            return .failed("'utf-8' codec can't decode the contents of \(path)")
        }
        let lines = Self.pythonLines(text)
        let result: IniFileEdit.Result
        do { result = try edit.apply(lines) } catch { return .failed("\(error)") }
        let after = result.lines.joined()
        let diff: Value = .dict([
            "before": .string(context.diffMode ? lines.joined() : ""), "after": .string(context.diffMode ? after : ""),
            "before_header": .string("\(path) (content)"), "after_header": .string("\(path) (content)"),
        ])
        var fields: OrderedDictionary<String, Value> = [:]
        var changed = result.changed
        var backupFile: String?
        if !context.checkMode {
            let written = try await file.write(
                result.changed ? Array(after.utf8) : nil, attributes: attributes, backup: backup && result.changed,
                validate: nil, followLinks: follow, in: context)
            if let failure = written.failure { return .failed(failure) }
            changed = changed || written.attributesChanged
            if backup && result.changed { backupFile = written.backupFile ?? "" }
        }
        fields["diff"] = diff
        fields["msg"] = .string(result.msg)
        fields["path"] = .string(path)
        if let backupFile { fields["backup_file"] = .string(backupFile) }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }

    /// The bytes as Python's `open(encoding="utf-8-sig")` reads them: a leading byte order mark
    /// dropped, line ends made `\n` (universal newlines); nil when they are not UTF-8.
    static func pythonText(_ bytes: [UInt8]) -> String? {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            out.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(out)
    }

    /// Python's `readlines()` on text: each line keeps its `\n`; the last may have none.
    static func pythonLines(_ text: String) -> [String] { text.linesKeepingNewlines() }
}
