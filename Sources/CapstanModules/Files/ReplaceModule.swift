import CapstanBasics
import Collections
import Foundation

/// `replace`: replaces every match of a Python regular expression (multiline mode) in a file,
/// optionally only in the section between `after` and `before`. One command reads the file, Swift
/// substitutes (`PythonRegex`), one more writes it back if it changed.
public struct ReplaceModule: Module {
    public static let name = "replace"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("path", .path, required: true, aliases: ["dest", "destfile", "name"]),
            ArgumentDefinition("regexp", required: true), ArgumentDefinition("replace", default: ""),
            ArgumentDefinition("after"), ArgumentDefinition("before"),
            ArgumentDefinition("backup", .bool, default: false), ArgumentDefinition("validate"),
            ArgumentDefinition("encoding", default: "utf-8"),
        ] + FileAttributesSpec.arguments)

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    /// The text with the replacements made, the count, and the section pattern when one was used;
    /// nil when `after`/`before` did not match.
    func substitute(_ contents: String) throws -> (text: String, count: Int)? {
        let after = arguments.string("after").flatMap { $0.isEmpty ? nil : $0 }
        let before = arguments.string("before").flatMap { $0.isEmpty ? nil : $0 }
        var section = NSRange(location: 0, length: (contents as NSString).length)
        if after != nil || before != nil {
            let pattern = "\(after ?? "")(?P<subsection>.\(after != nil && before != nil ? "*?" : "*"))\(before ?? "")"
            let sectionRegex = try PythonRegex(pattern, dotAll: true)
            guard let m = sectionRegex.firstMatch(in: contents) else { return nil }
            section = m.range(withName: "subsection")
        }
        let ns = contents as NSString
        let regex = try PythonRegex(arguments.string("regexp") ?? "", multiline: true)
        let (replaced, count) = try regex.substitute(
            in: ns.substring(with: section), template: arguments.string("replace") ?? "")
        return (
            ns.substring(to: section.location) + replaced + ns.substring(from: section.location + section.length), count
        )
    }

    /// The section pattern Ansible names in its "did not match" message.
    var sectionPattern: String {
        let after = arguments.string("after").flatMap { $0.isEmpty ? nil : $0 }
        let before = arguments.string("before").flatMap { $0.isEmpty ? nil : $0 }
        if let after, let before { return "\(after)(?P<subsection>.*?)\(before)" }
        if let after { return "\(after)(?P<subsection>.*)" }
        return "(?P<subsection>.*)\(before ?? "")"
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let path = arguments.string("path") ?? ""
        if let validate = arguments.string("validate"), !validate.contains("%s") {
            return .failed("validate must contain %s: \(validate)")
        }
        let file = try await RemoteTextFile.read(path, statted: !attributes.isEmpty, in: context)
        if file.isDirectory { return .failed("Path \(path) is a directory !", ["rc": 256]) }
        guard file.exists else { return .failed("Path \(path) does not exist !", ["rc": 257]) }
        if let e = file.readError { return .failed(e) }
        guard let contents = String(validating: file.content ?? [], as: UTF8.self) else {
            return .failed("Unable to read the contents of \(path): it is not valid UTF-8")
        }
        let substituted: (text: String, count: Int)?
        do { substituted = try substitute(contents) } catch { return .failed("\(error)") }
        guard let (text, count) = substituted else {
            return ModuleOutcome(
                status: .ok,
                fields: [
                    "rc": 0,
                    "msg": .string("Pattern for before/after params did not match the given file: \(sectionPattern)"),
                ])
        }
        let changed = count > 0 && text != contents
        var fields: OrderedDictionary<String, Value> = ["rc": 0]
        if changed && context.diffMode {
            fields["diff"] = .dict([
                "before_header": .string(path), "before": .string(contents), "after_header": .string(path),
                "after": .string(text),
            ])
        }
        let written = try await file.write(
            changed ? Array(text.utf8) : nil, attributes: attributes, backup: arguments.bool("backup"),
            validate: arguments.string("validate"), in: context)
        if let failure = written.failure { return .failed(failure) }
        if let backup = written.backupFile { fields["backup_file"] = .string(backup) }
        var msg = changed ? "\(count) replacements made" : ""
        if written.attributesChanged {
            msg += (changed ? " and " : "") + "ownership, perms or SE linux context changed"
        }
        fields["msg"] = .string(msg)
        return ModuleOutcome(status: changed || written.attributesChanged ? .changed : .ok, fields: fields)
    }
}
