import CapstanBasics

/// `modprobe` (community.general): loads or unloads a kernel module and keeps its boot-time files
/// (`/etc/modules-load.d/NAME.conf`, `/etc/modprobe.d/NAME.conf`) in one remote program.
///
/// "Loaded" is a line in `/proc/modules`, a built-in in `modules.builtin`, or `/sys/module/NAME`; the
/// last one is Capstan's addition, for kernels built without module support (no `/proc/modules`),
/// where Ansible's module fails. `modprobe` itself is only needed when something must be loaded or
/// unloaded. Check mode writes no file (Ansible's writes the persistence files even then).
public struct ModprobeModule: Module {
    public static let name = "modprobe"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ArgumentDefinition("params", default: ""),
        ArgumentDefinition("persistent", choices: ["disabled", "present", "absent"], default: "disabled"),
    ])

    let module: String
    let state: String
    let params: String
    let paramWords: [String]
    let persistent: String

    public init(arguments: ModuleArguments) throws {
        module = arguments.string("name") ?? ""
        state = arguments.string("state") ?? "present"
        params = arguments.string("params") ?? ""
        persistent = arguments.string("persistent") ?? "disabled"
        do { paramWords = try ShellWords.split(params) } catch {
            throw ModuleArgumentError(module: Self.name, message: "cannot split params: \(error)")
        }
        if module.isEmpty || module.contains("/") {
            throw ModuleArgumentError(module: Self.name, message: "invalid module name: '\(module)'")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let body =
            "modprobe_words() { modprobe \"$@\" -- \"$name\" \(ShellWords.join(paramWords)); }\n"
            + ModprobeProgram.body
        let report = try await RemoteProgram.run(
            [
                "name": module, "state": state, "params": params, "persistent": persistent,
                "check": RemoteProgram.flag(context.checkMode),
            ], body, in: context)
        let fields: [String: Value] = ["name": .string(module), "params": .string(params), "state": .string(state)]
        let ordered = ["name", "params", "state"].map { ($0, fields[$0]!) }
        guard report.succeeded else { return .failed(report.stderr, .init(uniqueKeysWithValues: ordered)) }
        return ModuleOutcome(
            status: report.flag("changed") ? .changed : .ok, fields: .init(uniqueKeysWithValues: ordered))
    }
}

/// The sh program behind `modprobe`. Inputs: name, state, params, persistent, check, and the function
/// `modprobe_words [FLAGS]` that runs modprobe on the name and the split params. Reports `changed`.
enum ModprobeProgram {
    static let body = NodePrograms.modprobe
}
