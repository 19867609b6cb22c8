import CapstanBasics
import Collections
import Foundation

/// `script`: sends a controller-side script to the host and runs it there with its arguments, in
/// ONE remote command: the script travels on the command's standard input into a private
/// temporary folder, is made executable, run (through `executable` when given) and removed.
///
/// As Ansible's action: `creates`/`removes` skip the task (status skipped), the script is looked up
/// like copy's `src` (role `files/`, then the playbook folder), the rest of the free-form text is
/// passed to the shell as written, and `--check` runs nothing (skipped, or changed when
/// `creates`/`removes` would let the script run).
public struct ScriptModule: Module {
    public static let name = "script"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("cmd"), ArgumentDefinition("creates"), ArgumentDefinition("removes"),
            ArgumentDefinition("chdir"), ArgumentDefinition("executable"),
            ArgumentDefinition("decrypt", .bool, default: true),
        ], mutuallyExclusive: [["_raw_params", "cmd"]], acceptsFreeForm: true)

    let text: String
    let source: String
    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws {
        guard let text = arguments.string("_raw_params") ?? arguments.string("cmd"),
            !text.trimmingWhitespace().isEmpty
        else {
            throw ModuleArgumentError(module: Self.name, message: "one of the following is required: _raw_params, cmd")
        }
        let words: [String]
        do { words = try ShellWords.split(text.trimmingWhitespace()) } catch {
            throw ModuleArgumentError(module: Self.name, message: "cannot split the command line: \(error)")
        }
        guard let first = words.first else {
            throw ModuleArgumentError(module: Self.name, message: "one of the following is required: _raw_params, cmd")
        }
        self.text = text.trimmingWhitespace()
        self.source = first
        self.arguments = arguments
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if let chdir = arguments.string("chdir"), !chdir.hasPrefix("/") {
            return .failed("chdir \(chdir) must be an absolute path for a Unix-aware remote node")
        }
        guard let local = CopyModule.locate(source, in: context.searchPaths) else {
            return .failed(CopyModule.notFoundMessage(source, searchPaths: context.searchPaths))
        }
        let script: [UInt8]
        do { script = Array(try Data(contentsOf: URL(fileURLWithPath: local))) } catch {
            return .failed("Could not read '\(local)': \(error)")
        }
        let folder = "/tmp/capstan-script-" + UUID().uuidString.lowercased()
        let remote = folder + "/" + URL(fileURLWithPath: local).lastPathComponent
        let skip = "capstan-script-skip-" + UUID().uuidString
        var options = context.commandOptions
        options.subshell = false
        options.stdin = script
        let result = try await context.connection.run(
            program(folder: folder, remote: remote, skipMarker: skip, checkMode: context.checkMode), options: options)
        let stdout = result.stdoutText
        if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix(skip) }) {
            let reason = line.dropFirst(skip.count + 1)
            let path = reason == "creates" ? arguments.string("creates") ?? "" : arguments.string("removes") ?? ""
            let msg =
                reason == "creates"
                ? "\(path) exists, matching creates option" : "\(path) does not exist, matching removes option"
            return ModuleOutcome(status: .skipped, fields: ["msg": .string(msg)])
        }
        if context.checkMode {
            if arguments["creates"] != nil || arguments["removes"] != nil { return ModuleOutcome(status: .changed) }
            return ModuleOutcome(status: .skipped, fields: ["msg": "Check mode is not supported for this task."])
        }
        let stderr = result.stderrText
        var fields: OrderedDictionary<String, Value> = [
            "rc": .int(result.returnCode), "stdout": .string(stdout),
            "stdout_lines": .list(stdout.pythonSplitLines().map(Value.string)), "stderr": .string(stderr),
            "stderr_lines": .list(stderr.pythonSplitLines().map(Value.string)),
        ]
        if result.returnCode != 0 {
            fields["msg"] = "non-zero return code"
            return ModuleOutcome(status: .failed, fields: fields, changed: true)
        }
        return ModuleOutcome(status: .changed, fields: fields)
    }

    /// The one remote program: the creates/removes checks, then (not in check mode) write stdin to
    /// the script file, run it where `chdir` says and remove the folder, keeping the script's status.
    func program(folder: String, remote: String, skipMarker: String, checkMode: Bool) -> String {
        var lines: [String] = []
        if let creates = arguments.string("creates") {
            lines.append("if [ -e \(ShellWords.quote(creates)) ]; then echo '\(skipMarker) creates'; exit 0; fi")
        }
        if let removes = arguments.string("removes") {
            lines.append("if [ ! -e \(ShellWords.quote(removes)) ]; then echo '\(skipMarker) removes'; exit 0; fi")
        }
        if checkMode {
            lines.append("exit 0")
            return lines.joined(separator: "\n")
        }
        // Ansible replaces every occurrence of the first word with the uploaded path and hands the
        // rest to the shell as written.
        let command = text.replacingOccurrences(of: source, with: ShellWords.quote(remote))
        let run = arguments.string("executable").map { "\($0) \(command)" } ?? command
        let qFolder = ShellWords.quote(folder)
        lines += [
            "capstan_umask=$(umask)", "umask 077", "mkdir \(qFolder) || exit 1",
            "cat > \(ShellWords.quote(remote)) && chmod 0700 \(ShellWords.quote(remote)) || { rm -rf \(qFolder); exit 1; }",
            "umask \"$capstan_umask\"",
        ]
        if let chdir = arguments.string("chdir") {
            lines.append("cd \(ShellWords.quote(chdir)) || { rm -rf \(qFolder); exit 1; }")
        }
        lines += ["( \(run)\n) </dev/null", "rc=$?", "rm -rf \(qFolder)", "exit $rc"]
        return lines.joined(separator: "\n")
    }
}
