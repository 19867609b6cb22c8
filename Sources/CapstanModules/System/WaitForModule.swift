import CapstanBasics
import Collections
import Foundation

/// `wait_for`: waits on the host for a TCP port, a file, a string in a file, or a port to drain, in
/// one remote polling loop bounded by `timeout` (the command's own deadline is set a little past it).
///
/// A port is probed, in this order of preference, with bash's `/dev/tcp` under coreutils' `timeout`
/// (a real connect, as Ansible's socket is), with `nc -z -w`, or — for a local host only — by
/// looking for a listening socket in `/proc/net/tcp{,6}`. `search_regex` is an extended regular
/// expression (grep -E) matched line by line; for a file, `match_groups`/`match_groupdict` come from
/// matching the first matching line again on the controller (for a port Ansible leaves them empty).
/// `drained` counts connections whose local address is `host`'s (0.0.0.0: any), as Ansible does.
public struct WaitForModule: Module {
    public static let name = "wait_for"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("host", default: "127.0.0.1"), ArgumentDefinition("timeout", .int, default: 300),
            ArgumentDefinition("connect_timeout", .int, default: 5), ArgumentDefinition("delay", .int, default: 0),
            ArgumentDefinition("port", .int), ArgumentDefinition("active_connection_states", .list),
            ArgumentDefinition("path", .path), ArgumentDefinition("search_regex"),
            ArgumentDefinition(
                "state", choices: ["absent", "drained", "present", "started", "stopped"], default: "started"),
            ArgumentDefinition("exclude_hosts", .list), ArgumentDefinition("sleep", .int, default: 1),
            ArgumentDefinition("msg"),
        ], mutuallyExclusive: [["port", "path"]])

    let arguments: ModuleArguments
    let timeout: Int

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        let state = arguments.string("state") ?? "started"
        let hasPath = arguments["path"] != nil
        if hasPath && state == "stopped" {
            throw fail("state=stopped should only be used for checking a port in the wait_for module")
        }
        if hasPath && state == "drained" {
            throw fail("state=drained should only be used for checking a port in the wait_for module")
        }
        if arguments["exclude_hosts"] != nil && state != "drained" {
            throw fail("exclude_hosts should only be with state=drained")
        }
        if case .int(let t)? = arguments["timeout"] { timeout = max(t, 0) } else { timeout = 300 }
        self.arguments = arguments
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        // Ansible's wait_for has no check mode support: the task is skipped, nothing is waited for.
        if context.checkMode {
            return ModuleOutcome(
                status: .skipped,
                fields: ["msg": "remote module (ansible.builtin.wait_for) does not support check mode"])
        }
        let a = arguments
        let state = a.string("state") ?? "started"
        func int(_ name: String, _ fallback: Int) -> Int {
            if case .int(let i)? = a[name] { return i }
            return fallback
        }
        let delay = int("delay", 0)
        let connectTimeout = int("connect_timeout", 5)
        var options = context.commandOptions
        options.timeout = .seconds(timeout + delay + connectTimeout + 30)
        let states =
            (a["active_connection_states"]?.listValue?.map(\.pythonString)
                ?? ["ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "SYN_RECV", "SYN_SENT", "TIME_WAIT"])
        let inputs: KeyValuePairs<String, String> = [
            "host": a.string("host") ?? "127.0.0.1", "port": a["port"].map(\.pythonString) ?? "",
            "path": a.string("path") ?? "", "regex": a.string("search_regex") ?? "", "state": state,
            "timeout": "\(timeout)", "ct": "\(max(connectTimeout, 1))", "delay": "\(delay)",
            "pause": "\(max(int("sleep", 1), 0))", "conn_states": WaitForProgram.stateCodes(states),
            "excluded": (a["exclude_hosts"]?.listValue ?? []).compactMap { WaitForProgram.procAddress($0.pythonString) }
                .joined(separator: " "),
        ]
        let program = RemoteProgram.assignments(inputs) + RemoteProgram.prelude + WaitForProgram.body
        let report = ProgramReport(try await context.connection.run(program, options: options))
        guard report.succeeded else { return .failed(report.stderr) }
        let elapsed = Value.int(Int(report["elapsed"] ?? "0") ?? 0)
        if report.flag("timeout") {
            return .failed(a.string("msg") ?? timeoutMessage(state), ["elapsed": elapsed])
        }
        var groups: [Value] = []
        var named: OrderedDictionary<String, Value> = [:]
        if let regex = a.string("search_regex"), a["path"] != nil, let line = report["line"] {
            (groups, named) = Self.groups(of: regex, in: line)
        }
        return ModuleOutcome(
            status: .ok,
            fields: [
                "state": .string(state), "port": a["port"] ?? .null, "search_regex": a["search_regex"] ?? .null,
                "match_groups": .list(groups), "match_groupdict": .dict(named), "path": a["path"] ?? .null,
                "elapsed": elapsed,
            ])
    }

    /// Ansible's message when the loop runs out of time.
    func timeoutMessage(_ state: String) -> String {
        let host = arguments.string("host") ?? "127.0.0.1"
        let port = arguments["port"]?.pythonString ?? ""
        let path = arguments.string("path") ?? ""
        let regex = arguments.string("search_regex")
        switch state {
        case "absent", "stopped":
            return arguments["port"] != nil
                ? "Timeout when waiting for \(host):\(port) to stop." : "Timeout when waiting for \(path) to be absent."
        case "drained": return "Timeout when waiting for \(host):\(port) to drain"
        default:
            if arguments["port"] != nil {
                if let regex { return "Timeout when waiting for search string \(regex) in \(host):\(port)" }
                return "Timeout when waiting for \(host):\(port)"
            }
            if let regex { return "Timeout when waiting for search string \(regex) in \(path)" }
            return "Timeout when waiting for file \(path)"
        }
    }

    /// The regex's groups in `line`, matched again on the controller (`match_groups`, `match_groupdict`).
    static func groups(of pattern: String, in line: String) -> ([Value], OrderedDictionary<String, Value>) {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line))
        else { return ([], [:]) }
        let groups: [Value] = (1..<max(match.numberOfRanges, 1)).map { i in
            Range(match.range(at: i), in: line).map { .string(String(line[$0])) } ?? .null
        }
        var named: OrderedDictionary<String, Value> = [:]
        let namePattern = try? NSRegularExpression(pattern: #"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>"#)
        for m in namePattern?.matches(in: pattern, range: NSRange(pattern.startIndex..., in: pattern)) ?? [] {
            guard let r = Range(m.range(at: 1), in: pattern) else { continue }
            let name = String(pattern[r])
            named[name] = Range(match.range(withName: name), in: line).map { .string(String(line[$0])) } ?? .null
        }
        return (groups, named)
    }
}
