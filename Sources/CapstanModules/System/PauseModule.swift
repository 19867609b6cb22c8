import CapstanBasics
import Collections
import Foundation

/// `pause`, ad hoc (`-m pause`) and in a playbook: waits `seconds` or `minutes` (at least one second)
/// on the controller, never touching the host (`runsOnController`), or, with neither, would wait for
/// the user. Capstan never reads the terminal during a run, so a prompt without a duration behaves as
/// Ansible does when standard input is not interactive: a warning, and the play goes on. Returns
/// Ansible's fields (`start`, `stop`, `delta`, `stdout` "Paused for N seconds", `user_input`, `echo`).
public struct PauseModule: Module {
    public static let name = "pause"
    /// Ansible's spec: the durations go through Python's `int()`, so `1.5` is accepted and means 1.
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("echo", .bool, default: true),
            ArgumentDefinition("minutes", .custom(AnsibleConversions.pythonInt)),
            ArgumentDefinition("seconds", .custom(AnsibleConversions.pythonInt)), ArgumentDefinition("prompt"),
        ], mutuallyExclusive: [["minutes", "seconds"]])
    public static let runsOnController = true

    /// How long to wait, in seconds; nil to wait for the user.
    let wait: Int?
    /// Whether the duration was given in minutes (or not at all), which is how `stdout` reports it.
    let inMinutes: Bool
    let echo: Bool

    public init(arguments: ModuleArguments) throws {
        if case .int(let m)? = arguments["minutes"] {
            // A wait past any run's life (years) is clamped, never an overflow trap.
            wait = m.multipliedReportingOverflow(by: 60).overflow ? Int.max : m * 60
            inMinutes = true
        } else if case .int(let s)? = arguments["seconds"] {
            wait = s
            inMinutes = false
        } else {
            wait = nil
            inMinutes = true
        }
        echo = arguments.bool("echo")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let started = Date()
        var warnings: [Value] = []
        if let wait {
            try await _Concurrency.Task.sleep(for: .seconds(min(max(1, wait), Int(Int32.max))))
        } else {
            warnings.append("Not waiting for response to prompt as stdin is not interactive")
        }
        let elapsed = Date().timeIntervalSince(started)
        let shown = ((inMinutes ? elapsed / 60 : elapsed) * 100).rounded() / 100
        var fields: OrderedDictionary<String, Value> = [
            "changed": false, "rc": 0, "stderr": "",
            "stdout": .string("Paused for \(PythonFloat.repr(shown)) \(inMinutes ? "minutes" : "seconds")"),
            "start": .string(PythonDateTime.string(started)), "stop": .string(PythonDateTime.string(Date())),
            "delta": .int(Int(elapsed)), "echo": .bool(echo), "user_input": "",
        ]
        if !warnings.isEmpty { fields["warnings"] = .list(warnings) }
        return ModuleOutcome(status: .ok, fields: fields)
    }
}
