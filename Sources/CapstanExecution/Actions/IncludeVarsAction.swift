import CapstanBasics
import CapstanModules
import Collections
import Foundation

/// `include_vars`: reads variables from a YAML/JSON file (`file`, or the free-form word) or from the
/// files of a directory (`dir`, with `depth`, `files_matching`, `ignore_files`, `extensions`,
/// `ignore_unknown_extensions`), optionally nested under `name`, into the include_vars level.
/// `hash_behaviour` is accepted and ignored (Capstan always replaces, Ansible's default).
public struct IncludeVarsAction: ControllerAction {
    /// `include_vars`.
    public static let name = "include_vars"
    static let defaultExtensions = ["json", "yaml", "yml"]
    /// The file and directory options, `name`, `hash_behaviour` and the free-form file name; another
    /// key is refused with Ansible's message for the first one.
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("file", .raw), ArgumentDefinition("dir", .raw), ArgumentDefinition("depth", .int),
            ArgumentDefinition("files_matching", .raw), ArgumentDefinition("ignore_files", .raw),
            ArgumentDefinition("extensions", .raw), ArgumentDefinition("ignore_unknown_extensions", .bool),
            ArgumentDefinition("name", .raw), ArgumentDefinition("hash_behaviour", .raw),
        ], acceptsFreeForm: true,
        unknownKeys: .rejected { "Task failed: \($0[0]) is not a valid option in include_vars" })

    /// A failure with Ansible's wording; include_vars reports it under `message`.
    struct Failure: Error {
        let message: String
    }

    /// Where the variables come from.
    enum Source {
        case none
        case file(String)
        case directory(String, DirectoryArguments)
    }

    let source: Source
    let nestedUnder: String?

    /// An include_vars action for the checked arguments.
    public init(arguments: ModuleArguments) {
        if let dir = arguments.text("dir") {
            source = .directory(dir, DirectoryArguments(arguments))
        } else if let file = arguments.text("file") ?? arguments.text("_raw_params") {
            source = .file(file)
        } else {
            source = .none
        }
        nestedUnder = arguments.text("name")
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        var loaded = VarFiles()
        do {
            switch source {
            case .directory(let dir, let arguments):
                try loaded.loadDirectory(
                    Self.directory(dir, context: context), options: try DirectoryOptions(arguments))
            case .file(let file):
                guard let path = Self.find(file, in: context.searchPaths) else {
                    throw Failure(message: "Could not find or access '\(file)'")
                }
                try loaded.load(path, checkExtension: nil)
            case .none: break
            }
        } catch let failure as Failure {
            var outcome = ModuleOutcome(status: .failed)
            outcome.fields = [
                "changed": false, "failed": true, "message": .string(failure.message),
                "ansible_included_var_files": .list(loaded.files.map(Value.string)), "ansible_facts": [:],
            ]
            return ControllerActionResult(outcome)
        }
        var variables = loaded.variables
        if let nestedUnder { variables = [nestedUnder: .dict(variables)] }
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields = [
            "changed": false, "ansible_included_var_files": .list(loaded.files.map(Value.string)),
            "ansible_facts": .dict(variables),
        ]
        return ControllerActionResult(outcome, effects: ControllerActionEffects(variables: variables))
    }

    /// `file` as Ansible's `_find_needle('vars', file)` finds it: in each search folder's `vars/`, then
    /// in the folder itself.
    static func find(_ file: String, in searchPaths: [String]) -> String? {
        if file.hasPrefix("/") { return FileManager.default.fileExists(atPath: file) ? file : nil }
        for folder in searchPaths {
            for candidate in ["\(folder)/vars/\(file)", "\(folder)/\(file)"]
            where FileManager.default.fileExists(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// `dir` relative to the role's `vars/` folder, or to the folder of the file holding the task.
    static func directory(_ dir: String, context: ControllerActionContext) -> String {
        if dir.hasPrefix("/") { return dir }
        if let role = context.task.role {
            return dir.split(separator: "/").first == "vars" ? "\(role.path)/\(dir)" : "\(role.path)/vars/\(dir)"
        }
        let taskFolder = (context.task.location.file as NSString).deletingLastPathComponent
        return taskFolder.isEmpty ? dir : "\(taskFolder)/\(dir)"
    }
}
