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

    /// An include_vars action.
    public init() {}

    /// A failure with Ansible's wording; include_vars reports it under `message`.
    struct Failure: Error {
        let message: String
    }

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let args = context.arguments
        var loaded = VarFiles()
        do {
            if let dir = ActionArguments.string(args, "dir") {
                try loaded.loadDirectory(
                    Self.directory(dir, context: context), options: try DirectoryOptions(args))
            } else if let file = ActionArguments.string(args, "file") ?? ActionArguments.string(args, "_raw_params") {
                guard let path = Self.find(file, in: context.searchPaths) else {
                    throw Failure(message: "Could not find or access '\(file)'")
                }
                try loaded.load(path, checkExtension: nil)
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
        if let name = ActionArguments.string(args, "name") { variables = [name: .dict(variables)] }
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
