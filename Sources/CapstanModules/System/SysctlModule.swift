import CapstanBasics

/// `sysctl` (ansible.posix): keeps a key's line in a sysctl file and, with `reload`, the running
/// value, in one remote program. The file is rewritten as Ansible's module rewrites it (lines
/// trimmed, the key's first line replaced, later duplicates of any key dropped); the running value is
/// read as `sysctl -e -n` prints it, set with `sysctl -w` (`sysctl_set`) and reloaded with `sysctl -p FILE`.
public struct SysctlModule: Module {
    public static let name = "sysctl"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true, aliases: ["key"]),
        ArgumentDefinition("value", aliases: ["val"]),
        ArgumentDefinition("state", choices: ["present", "absent"], default: "present"),
        ArgumentDefinition("reload", .bool, default: true), ArgumentDefinition("sysctl_set", .bool, default: false),
        ArgumentDefinition("ignoreerrors", .bool, default: false),
        ArgumentDefinition("sysctl_file", .path, default: "/etc/sysctl.conf"),
    ])

    let key: String
    let value: String
    let present: Bool
    let reload: Bool
    let setRunning: Bool
    let ignoreErrors: Bool
    let file: String

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        present = arguments.string("state") == "present"
        if present && arguments["value"] == nil {
            throw fail("state is present but all of the following are missing: value")
        }
        key = (arguments.string("name") ?? "").trimmingWhitespace()
        if key.isEmpty { throw fail("name cannot be blank") }
        if present && arguments.string("value") == "" { throw fail("value cannot be blank") }
        value = Self.normalised(arguments.string("value"))
        reload = arguments.bool("reload")
        setRunning = arguments.bool("sysctl_set")
        ignoreErrors = arguments.bool("ignoreerrors")
        file = arguments.string("sysctl_file") ?? "/etc/sysctl.conf"
    }

    /// Ansible's `_parse_value`: boolean words become `1`/`0`, anything else is trimmed.
    static func normalised(_ value: String?) -> String {
        guard let value else { return "" }
        if ArgumentConversion.trueWords.contains(value.lowercased()) { return "1" }
        if ArgumentConversion.falseWords.contains(value.lowercased()) { return "0" }
        return value.trimmingWhitespace()
    }

    /// The `/proc/sys` file `sysctl` reads for `key` (dots are directory separators, a slash stands for
    /// a dot, as procps swaps them), or nil for a key that does not name one plainly.
    static func procFile(_ key: String) -> String? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        let plain = parts.allSatisfy { part in
            !part.isEmpty && part != "/" && part.allSatisfy { !$0.isWhitespace && $0 != "=" && $0 != "*" }
        }
        guard plain, !key.contains(".."), !key.hasPrefix("/") else { return nil }
        return "/proc/sys/" + parts.map { $0.replacingOccurrences(of: "/", with: ".") }.joined(separator: "/")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let report = try await RemoteProgram.run(
            [
                "name": key, "value": value, "state": present ? "present" : "absent", "file": file,
                "reload": RemoteProgram.flag(reload), "set": RemoteProgram.flag(setRunning),
                "ignore": ignoreErrors ? "-e" : "", "check": RemoteProgram.flag(context.checkMode),
                "procfile": Self.procFile(key) ?? "", "ws": SysctlProgram.whitespace,
            ], SysctlProgram.body, in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok)
    }
}

/// The sh program behind `sysctl`. Inputs: name, value, state, file, reload, set, ignore (`-e` or
/// empty), check, procfile (the key's `/proc/sys` file or empty), ws (what awk's trim removes).
/// Reports `changed=0|1`; fails with Ansible's messages.
enum SysctlProgram {
    /// The characters the file scan trims from keys and values: awk's `[ \t\r\n\f\v]` without the
    /// line break, which never occurs inside a line.
    static let whitespace = " \t\r\u{0C}\u{0B}"

    static let body = NodePrograms.sysctl
}
