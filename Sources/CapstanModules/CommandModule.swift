import CapstanBasics
import Collections
import Foundation

/// `command`, `shell` and `raw`: run a command line on the host. `command` runs the words without a
/// shell (each one quoted), `shell` hands the text to `/bin/sh` (or `executable`), `raw` sends it as
/// it is. All three always report `changed` unless `creates`/`removes` says there is nothing to do.
public struct CommandModule: Module {
    /// Which of the three this is.
    public enum Flavor: String, Sendable { case command, shell, raw }

    public static let name = "command"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("cmd"), ArgumentDefinition("argv", .list), ArgumentDefinition("creates", .path),
            ArgumentDefinition("removes", .path), ArgumentDefinition("chdir", .path),
            ArgumentDefinition("executable", .path), ArgumentDefinition("stdin"),
            ArgumentDefinition("stdin_add_newline", .bool, default: true),
            ArgumentDefinition("strip_empty_ends", .bool, default: true),
            ArgumentDefinition("expand_argument_vars", .bool, default: true),
        ], mutuallyExclusive: [["cmd", "argv", "_raw_params"]], acceptsFreeForm: true)

    let flavor: Flavor
    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { try self.init(flavor: .command, arguments: arguments) }

    /// Builds one of the three flavours; free-form text or `cmd`/`argv` is required.
    public init(flavor: Flavor, arguments: ModuleArguments) throws {
        self.flavor = flavor
        self.arguments = arguments
        if arguments["_raw_params"] == nil && arguments["cmd"] == nil && arguments["argv"] == nil {
            throw ModuleArgumentError(module: flavor.rawValue, message: "no command given")
        }
    }

    /// The command line sent to the host, before `chdir`, `creates` and `removes` wrap it.
    func commandLine() throws -> (line: String, shown: Value) {
        let text = arguments.string("_raw_params") ?? arguments.string("cmd")
        switch flavor {
        case .raw, .shell:
            let line = text ?? ShellWords.join(arguments["argv"]?.listValue?.map(\.pythonString) ?? [])
            if flavor == .shell, let executable = arguments.string("executable") {
                return (ShellWords.join([executable, "-c", line]), .string(line))
            }
            return (line, .string(line))
        case .command:
            let words: [String]
            if let text {
                do { words = try ShellWords.split(text) } catch {
                    throw ModuleArgumentError(module: "command", message: "cannot split the command line: \(error)")
                }
            } else {
                words = arguments["argv"]?.listValue?.map(\.pythonString) ?? []
            }
            let expand = arguments.bool("expand_argument_vars")
            let line = words.map { expand ? ArgumentExpansion.shellWord($0) : ShellWords.quote($0) }.joined(
                separator: " ")
            return (line, .list(words.map(Value.string)))
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let (line, shown) = try commandLine()
        let marker = "capstan-skip-" + UUID().uuidString
        // As Ansible's module: change into `chdir` first (failing if it cannot, even in check mode),
        // then look at `creates`/`removes` from there, then run (never in check mode).
        var program = ""
        if let dir = arguments.string("chdir") {
            program += "cd \(ArgumentExpansion.shellWord(dir)) 2>/dev/null || { echo \(marker)-chdir >&2; exit 1; }\n"
        }
        if let creates = arguments.string("creates") {
            program += "if [ -e \(ArgumentExpansion.shellWord(creates)) ]; then echo \(marker) >&2; exit 0; fi\n"
        }
        if let removes = arguments.string("removes") {
            program += "if [ ! -e \(ArgumentExpansion.shellWord(removes)) ]; then echo \(marker) >&2; exit 0; fi\n"
        }
        program += context.checkMode ? ":" : line
        let guarded = arguments["creates"] != nil || arguments["removes"] != nil
        let notRun: OrderedDictionary<String, Value> = [
            "cmd": shown, "rc": .null, "stdout": "", "stderr": "", "start": .null, "end": .null, "delta": .null,
            "msg": "", "stdout_lines": [], "stderr_lines": [],
        ]
        if context.checkMode && !guarded && arguments["chdir"] == nil {
            var fields = notRun
            fields["rc"] = 0
            fields["msg"] = "Command would have run if not in check mode"
            return ModuleOutcome(status: .skipped, fields: fields)
        }
        var options = context.commandOptions
        options.subshell = false
        if let stdin = arguments.string("stdin") {
            options.stdin = Array((stdin + (arguments.bool("stdin_add_newline") ? "\n" : "")).utf8)
        }
        let start = Date()
        let result = try await context.connection.run(program, options: options)
        let end = Date()
        var stdout = result.stdoutText
        var stderr = result.stderrText
        if stderr.contains(marker + "-chdir") {
            var fields = notRun
            fields["msg"] = "Unable to change directory before execution."
            return ModuleOutcome(status: .failed, fields: fields)
        }
        if stderr.contains(marker) {
            let path = arguments.string("creates") ?? arguments.string("removes") ?? ""
            let exists = arguments["creates"] != nil
            let verb = exists ? "exists" : "does not exist"
            let shoulda = context.checkMode ? "Would" : "Did"
            var fields = notRun
            fields["rc"] = 0
            fields["stdout"] = .string("skipped, since \(path) \(verb)")
            fields["stdout_lines"] = [.string("skipped, since \(path) \(verb)")]
            fields["msg"] = .string("\(shoulda) not run command since '\(path)' \(verb)")
            return ModuleOutcome(status: .ok, fields: fields)
        }
        if context.checkMode {
            var fields = notRun
            fields["rc"] = 0
            fields["msg"] = "Command would have run if not in check mode"
            return ModuleOutcome(status: guarded ? .changed : .skipped, fields: fields)
        }
        if arguments.bool("strip_empty_ends") {
            stdout = stdout.trimmingTrailingNewlines()
            stderr = stderr.trimmingTrailingNewlines()
        }
        var fields: OrderedDictionary<String, Value> = [
            "cmd": shown, "rc": .int(result.returnCode), "stdout": .string(stdout), "stderr": .string(stderr),
            "start": .string(CommandTimestamps.format(start)), "end": .string(CommandTimestamps.format(end)),
            "delta": .string(CommandTimestamps.delta(end.timeIntervalSince(start))), "msg": "",
            "stdout_lines": .list(stdout.pythonSplitLines().map(Value.string)),
            "stderr_lines": .list(stderr.pythonSplitLines().map(Value.string)),
        ]
        if result.returnCode != 0 {
            fields["msg"] = "non-zero return code"
            return ModuleOutcome(status: .failed, fields: fields, changed: true)
        }
        return ModuleOutcome(status: .changed, fields: fields)
    }
}

/// `shell`: `command` through `/bin/sh`.
public struct ShellModule: Module {
    public static let name = "shell"
    public static let spec = CommandModule.spec
    let inner: CommandModule
    public init(arguments: ModuleArguments) throws { inner = try CommandModule(flavor: .shell, arguments: arguments) }
    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await inner.run(in: context) }
}

/// `raw`: the text as it is, the one module Ansible runs without its own wrapper.
public struct RawModule: Module {
    public static let name = "raw"
    public static let spec = ArgumentSpec([ArgumentDefinition("executable", .path)], acceptsFreeForm: true)
    let inner: CommandModule
    public init(arguments: ModuleArguments) throws { inner = try CommandModule(flavor: .raw, arguments: arguments) }
    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await inner.run(in: context) }
}

/// `start`, `end` and `delta` as Ansible's command module writes them.
package enum CommandTimestamps {
    static func format(_ date: Date) -> String { PythonDateTime.string(date) }

    static func delta(_ seconds: TimeInterval) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        let h = micros / 3_600_000_000
        let m = (micros / 60_000_000) % 60
        let s = (micros / 1_000_000) % 60
        return
            "\(h):\(PythonDateTime.pad(m, 2)):\(PythonDateTime.pad(s, 2)).\(PythonDateTime.pad(micros % 1_000_000, 6))"
    }
}

extension String {
    /// The string without trailing line breaks (Python's `rstrip("\r\n")`).
    package func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" || l == "\r\n" { s.removeLast() }
        return String(s)
    }

    /// Python's `str.splitlines()`: no empty last line for a trailing newline, `\r\n` is one break.
    func pythonSplitLines() -> [String] {
        var lines: [String] = []
        var current = ""
        for c in self {
            if c == "\n" || c == "\r\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{1C}" || c == "\u{1D}"
                || c == "\u{1E}" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
            {
                lines.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
