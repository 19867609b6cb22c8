import CapstanBasics
import CapstanResults
import CapstanTransport
import Collections
import Foundation

/// Runs a module Capstan does not implement with Ansible's own code, as ansible-playbook would: the
/// operator's ansible-core packs it (AnsiballZ, with the `module_utils` it imports and the task's
/// arguments inside), the payload goes to a private folder on the node, the node's Python runs it,
/// and its JSON result becomes the task's result.
///
/// The arguments travel only inside the packer's standard input and the payload (mode 0600, removed
/// after the run), never on a command line.
public struct AnsibleModuleFallback: Sendable {
    /// The environment variable naming the controller's Python that has ansible-core.
    public static let pythonVariable = "CAPSTAN_ANSIBLE_PYTHON"

    /// The module as the task names it (`getent`, `ansible.builtin.ini_file`, `community.general.x`).
    public var module: String
    /// The templated arguments.
    public var arguments: OrderedDictionary<String, Value>
    /// The node's Python (`ansible_python_interpreter`); nil discovers it.
    public var interpreter: String?
    /// Folders of modules of the role and the playbook (`library/`).
    public var libraryFolders: [String]
    /// Folders of their `module_utils/`.
    public var moduleUtilsFolders: [String]
    /// `no_log`: the module censors its own logging and invocation.
    public var noLog: Bool
    /// `-v` count, passed to the module as Ansible does.
    public var verbosity: Int
    /// The controller's Python with ansible-core: `CAPSTAN_ANSIBLE_PYTHON`, else `python3`.
    public var controllerPython: String

    public init(
        module: String, arguments: OrderedDictionary<String, Value>, interpreter: String?, libraryFolders: [String],
        moduleUtilsFolders: [String], noLog: Bool, verbosity: Int,
        controllerPython: String = ProcessInfo.processInfo.environment[Self.pythonVariable] ?? "python3"
    ) {
        self.module = module
        self.arguments = arguments
        self.interpreter = interpreter
        self.libraryFolders = libraryFolders
        self.moduleUtilsFolders = moduleUtilsFolders
        self.noLog = noLog
        self.verbosity = verbosity
        self.controllerPython = controllerPython
    }

    /// The module's last name (`ini_file` of `ansible.builtin.ini_file`), for the payload's file name.
    var leafName: String { module.split(separator: ".").last.map(String.init) ?? module }

    /// Does the work on one host.
    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if Self.actionOnly.contains(leafName) {
            return .failed(
                "module '\(module)' is an action plugin in Ansible, which Capstan does not implement; "
                    + "the fallback runs modules on the node only")
        }
        let prepared = try await RemoteProgram.run(
            ["interpreter": interpreter ?? ""], NodePrograms.moduleFallbackPrepare, in: context)
        guard prepared.succeeded else {
            return .failed("module '\(module)': could not prepare the node: \(prepared.stderr)")
        }
        guard let python = prepared["python"], !python.isEmpty, let folder = prepared["dir"] else {
            return .failed(
                "module '\(module)' is not implemented by Capstan, and running Ansible's needs Python on the node: "
                    + (interpreter.map { "ansible_python_interpreter '\($0)' was not found" }
                        ?? "no python3 found (set ansible_python_interpreter)"))
        }
        let built: Payload
        do {
            built = try await pack(interpreter: python, checkMode: context.checkMode, diffMode: context.diffMode)
        } catch let error as PackError {
            await Self.remove(folder, in: context)
            return .failed(error.message)
        }
        let payload = "AnsiballZ_\(leafName).py"
        do {
            try await context.connection.put(
                built.bytes, to: folder + "/" + payload, attributes: FileAttributes(mode: 0o600),
                options: context.commandOptions)
        } catch {
            // The folder may hold part of the payload, and with it the arguments.
            await Self.remove(folder, in: context)
            throw error
        }
        let result = try await context.connection.run(
            RemoteProgram.assignments(["python": python, "dir": folder, "payload": payload]) + RemoteProgram.prelude
                + NodePrograms.moduleFallbackRun,
            options: context.commandOptions)
        return Self.outcome(of: result, verbosity: verbosity)
    }

    /// Removes the node folder of a run that did not get to start (the run program removes its own).
    static func remove(_ folder: String, in context: ModuleContext) async {
        _ = try? await context.connection.run("rm -rf \(ShellWords.quote(folder))", options: context.commandOptions)
    }

    /// A packed module.
    struct Payload {
        var resolved: String
        var bytes: [UInt8]
    }

    /// Why the module could not be packed (no ansible-core, unknown module, not a Python module).
    struct PackError: Error {
        var message: String
    }

    /// Runs the packer (`ansiballz-build.py`) with the controller's Python.
    func pack(interpreter: String, checkMode: Bool, diffMode: Bool) async throws -> Payload {
        let request: Value = .dict([
            "module": .string(module), "args": .dict(arguments), "interpreter": .string(interpreter),
            "check_mode": .bool(checkMode), "diff": .bool(diffMode), "no_log": .bool(noLog),
            "verbosity": .int(verbosity), "library": .list(libraryFolders.map(Value.string)),
            "module_utils": .list(moduleUtilsFolders.map(Value.string)),
        ])
        let command = [controllerPython, "-W", "ignore", "-c", NodePrograms.ansiballzBuild]
            .map(ShellWords.quote).joined(separator: " ")
        let result: CommandResult
        do {
            let options = CommandOptions(stdin: Array(request.json().utf8))
            result = try await LocalConnection().run(command, options: options)
        } catch {
            throw PackError(
                message: "module '\(module)': could not run \(controllerPython) on the controller: \(error)")
        }
        let bytes = result.stdout
        let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        let meta = try? Value(jsonText: String(decoding: bytes[..<lineEnd], as: UTF8.self))
        if let error = meta?.dictValue?["error"]?.stringValue {
            throw PackError(
                message: "module '\(module)' is not implemented by Capstan, and the fallback failed: \(error)")
        }
        guard result.exitStatus == 0, let resolved = meta?.dictValue?["resolved"]?.stringValue else {
            let why = result.stderrText.trimmingTrailingNewlines()
            throw PackError(
                message: "module '\(module)' is not implemented by Capstan, and running Ansible's needs ansible-core "
                    + "on the controller (\(controllerPython), set \(Self.pythonVariable)): "
                    + (why.isEmpty ? "exit status \(result.exitStatus.map(String.init) ?? "none")" : why))
        }
        return Payload(resolved: resolved, bytes: Array(bytes[min(lineEnd + 1, bytes.endIndex)...]))
    }

    /// ansible-core modules that are documentation only: their work is an action plugin on the
    /// controller, which a module run on the node cannot replace.
    static let actionOnly: Set<String> = [
        "add_host", "assert", "async_status", "debug", "fail", "gather_facts", "group_by", "include_vars", "meta",
        "pause", "reboot", "set_fact", "set_stats", "validate_argument_spec", "wait_for_connection",
    ]

    /// The task's result from the module's output, as Ansible reads it: the JSON object it printed
    /// (ignoring lines before it and text after it), or Ansible's deserialization failure. The
    /// module's `invocation` stays only from `-vvv`, as in what ansible-playbook registers and shows.
    static func outcome(of result: CommandResult, verbosity: Int) -> ModuleOutcome {
        guard case .dict(var fields)? = json(in: result.stdoutText) else {
            return .failed(
                "Module result deserialization failed: No start of json char found",
                [
                    "module_stdout": .string(result.stdoutText), "module_stderr": .string(result.stderrText),
                    "rc": .int(Int(result.exitStatus ?? -1)),
                ])
        }
        for key in fields.keys where key.hasPrefix("_ansible_") && key != "_ansible_no_log" {
            fields.removeValue(forKey: key)
        }
        if verbosity < 3 { fields.removeValue(forKey: "invocation") }
        let status: TaskStatus
        if fields["failed"]?.isTruthy == true {
            status = .failed
        } else if fields["skipped"]?.isTruthy == true {
            status = .skipped
        } else {
            status = fields["changed"]?.isTruthy == true ? .changed : .ok
        }
        return ModuleOutcome(status: status, fields: fields, changed: fields["changed"]?.isTruthy == true)
    }

    /// Ansible's `_filter_non_json_lines` (objects only), then the JSON: from the first line that starts
    /// with `{` (blanks aside) to the last line that ends with `}`.
    static func json(in text: String) -> Value? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let start = trimmed.firstIndex(where: { $0.hasPrefix("{") }),
            let end = trimmed.lastIndex(where: { $0.hasSuffix("}") }), end >= start
        else { return nil }
        return try? Value(jsonText: lines[start...end].joined(separator: "\n"))
    }
}
