import CapstanBasics
import CapstanModules
import CapstanTemplating
import Collections
import Foundation

/// `template`: renders a Jinja2 file from the controller (`src`, searched in the role's and the
/// playbook's `templates/` folders, then those folders themselves) with the host's variables, and
/// writes it to `dest` on the node through the file modules' `FileWriter` (one probe, one write,
/// only when content or attributes differ; `--check` and `--diff` as for `copy`).
public struct TemplateAction: ControllerAction {
    /// `template`.
    public static let name = "template"
    static let newlines: [String: String] = ["\\n": "\n", "\\r": "\r", "\\r\\n": "\r\n"]
    /// The arguments `template` accepts, with the file attributes shared with `copy`.
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("src", .path, required: true), ArgumentDefinition("dest", .path, required: true),
            ArgumentDefinition("backup", .bool, default: false), ArgumentDefinition("force", .bool, default: true),
            ArgumentDefinition("follow", .bool, default: false), ArgumentDefinition("validate"),
            ArgumentDefinition("trim_blocks", .bool, default: true),
            ArgumentDefinition("lstrip_blocks", .bool, default: false),
            ArgumentDefinition("newline_sequence", default: "\\n"),
            ArgumentDefinition("output_encoding", default: "utf-8"),
        ] + FileAttributesSpec.arguments)

    let src: String
    let dest: String
    let newline: String?
    let options: TemplateOptions
    let attributes: FileAttributesSpec
    let backup: Bool
    let validate: String?
    let force: Bool
    let follow: Bool

    /// A template action for the checked arguments.
    public init(arguments args: ModuleArguments) throws {
        src = args.string("src") ?? ""
        dest = args.string("dest") ?? ""
        newline = Self.newlines[args.string("newline_sequence") ?? "\\n"]
        var options = TemplateOptions.ansible
        options.trimBlocks = args.bool("trim_blocks")
        options.lstripBlocks = args.bool("lstrip_blocks")
        self.options = options
        attributes = try FileAttributesSpec(arguments: args, module: Self.name)
        backup = args.bool("backup")
        validate = args.string("validate")
        force = args.bool("force")
        follow = args.bool("follow")
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard let newline else {
            return ControllerActionResult(.failed("newline_sequence needs to be one of: \\n, \\r or \\r\\n"))
        }
        guard let path = Self.find(src, in: context.searchPaths) else {
            return ControllerActionResult(.failed("Could not find or access '\(src)'"))
        }
        let scope = TemplateFileScope(base: context.scope, template: path, src: src, dest: dest)
        var text = try context.templar.renderFile(
            at: path, scope: scope, searchPath: context.searchPaths.map { "\($0)/templates" }, options: options)
        if newline != "\n" { text = text.replacingOccurrences(of: "\n", with: newline) }
        var request = FileWriter.Request(
            content: [], dest: dest, nameInDirectory: (src as NSString).lastPathComponent,
            attributes: attributes, backup: backup, validate: validate, force: force, afterHeader: path)
        request.follow = follow
        let moduleContext = ModuleContext(
            host: context.host, connection: context.connection, checkMode: context.checkMode,
            diffMode: context.diffMode, commandOptions: context.commandOptions, searchPaths: context.searchPaths)
        // A large rendering goes to a controller file and is streamed from there, as copy's files are.
        guard text.utf8.count >= LocalFile.streamingThreshold else {
            request.content = Array(text.utf8)
            return ControllerActionResult(try await FileWriter.write(request, in: moduleContext))
        }
        let rendered = NSTemporaryDirectory() + "capstan-template-\(UUID().uuidString)"
        defer { unlink(rendered) }
        try text.write(toFile: rendered, atomically: false, encoding: .utf8)
        request.file = try LocalFile(path: rendered)
        return ControllerActionResult(try await FileWriter.write(request, in: moduleContext))
    }

    /// `src` as Ansible's `_find_needle('templates', src)` finds it: each search folder's
    /// `templates/`, then the folder itself; an absolute path as it is.
    static func find(_ src: String, in searchPaths: [String]) -> String? {
        if src.hasPrefix("/") { return FileManager.default.fileExists(atPath: src) ? src : nil }
        for folder in searchPaths {
            for candidate in ["\(folder)/templates/\(src)", "\(folder)/\(src)"]
            where FileManager.default.fileExists(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }
}

/// The variables Ansible's template action adds for the template file (`generate_ansible_template_vars`):
/// `template_path`, `template_fullpath`, `template_destpath`, `template_host`, `template_uid`, and
/// `ansible_managed` (Ansible's default string) unless the play defines it.
struct TemplateFileScope: VariableScope {
    let base: any VariableScope
    let extra: [String: Value]

    init(base: any VariableScope, template: String, src: String, dest: String) {
        self.base = base
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let owner = (try? FileManager.default.attributesOfItem(atPath: template)[.ownerAccountName] as? String) ?? ""
        extra = [
            "template_path": .string(src), "template_fullpath": .string(template), "template_destpath": .string(dest),
            "template_host": .string(String(cString: host)), "template_uid": .string(owner),
        ]
    }

    func lookup(_ name: String) throws -> Value? {
        if let value = extra[name] { return value }
        if let value = try base.lookup(name) { return value }
        return name == "ansible_managed" ? "Ansible managed" : nil
    }

    var variableNames: [String] { Array(extra.keys) + base.variableNames.filter { extra[$0] == nil } }
}
