import CapstanBasics
import Collections

/// `timezone` (community.general): where `timedatectl` works, one program reads `timedatectl status`,
/// runs `set-local-rtc` / `set-timezone` for what differs and reads the status again, as the module's
/// SystemdTimezone does (same `diff`, `msg` and failures). A node without a usable timedatectl runs
/// Ansible's own module (the fallback), which edits `/etc/timezone` and `/etc/localtime` there.
public struct TimezoneModule: Module {
    public static let name = "timezone"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("hwclock", aliases: ["rtc"], choices: ["local", "UTC"]),
            ArgumentDefinition("name"),
        ], requiredOneOf: [["hwclock", "name"]])

    let arguments: ModuleArguments
    let zone: String?
    let hwclock: String?

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        zone = arguments.string("name")
        hwclock = arguments.string("hwclock")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let report = try await RemoteProgram.run(
            ["name": zone ?? "", "hwclock": hwclock ?? "", "check": RemoteProgram.flag(context.checkMode)],
            NodePrograms.timezone, in: context)
        if report["usable"] == "0" {
            let fallback = AnsibleModuleFallback(
                module: "community.general.timezone", arguments: arguments.values, interpreter: nil,
                libraryFolders: [], moduleUtilsFolders: [], noLog: false, verbosity: 0)
            return try await fallback.run(in: context)
        }
        let executed = report.all("executed")
        if !report.succeeded {
            var message = report.stderr
            if !executed.isEmpty {
                message += "\nOther message(s):\n" + executed.map { "executed `\($0)`" }.joined(separator: "\n")
            }
            return .failed(message)
        }
        // The module's values, keyed in its argument order (hwclock, name), only those given.
        func values(_ phase: String) -> OrderedDictionary<String, Value> {
            var out = OrderedDictionary<String, Value>()
            if hwclock != nil { out["hwclock"] = .string(report["\(phase)_hwclock"] ?? "") }
            if zone != nil { out["name"] = .string(report["\(phase)_name"] ?? "") }
            return out
        }
        var planned = OrderedDictionary<String, Value>()
        if let hwclock { planned["hwclock"] = .string(hwclock) }
        if let zone { planned["name"] = .string(zone) }
        let before = values("before")
        let after: OrderedDictionary<String, Value>
        if context.checkMode {
            after = planned
        } else {
            after = values("after")
            if after != planned {
                var message = "Error message:\nstill not desired state, though changes have made - planned: "
                message += "\(Self.pythonDict(planned)), after: \(Self.pythonDict(after))"
                if !executed.isEmpty {
                    message += "\nOther message(s):\n" + executed.map { "executed `\($0)`" }.joined(separator: "\n")
                }
                return .failed(message)
            }
        }
        var fields: OrderedDictionary<String, Value> = ["diff": ["before": .dict(before), "after": .dict(after)]]
        if !executed.isEmpty { fields["msg"] = .string(executed.map { "executed `\($0)`" }.joined(separator: "\n")) }
        return ModuleOutcome(status: before != after ? .changed : .ok, fields: fields)
    }

    /// Python's `str()` of a dict of strings.
    static func pythonDict(_ d: OrderedDictionary<String, Value>) -> String {
        "{" + d.map { "'\($0.key)': '\($0.value.stringValue ?? "")'" }.joined(separator: ", ") + "}"
    }
}
