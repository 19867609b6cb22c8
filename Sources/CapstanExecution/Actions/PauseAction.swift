import CapstanBasics
import CapstanModules
import Collections
import Foundation

/// `pause`: waits `seconds` or `minutes` (at least one second), or, with neither, would wait for the
/// user. Capstan never reads the terminal during a run, so a prompt without a duration behaves as
/// Ansible does when standard input is not interactive: a warning, and the play goes on.
public struct PauseAction: ControllerAction {
    /// `pause`.
    public static let name = "pause"
    static let supported: Set<String> = ["seconds", "minutes", "prompt", "echo"]

    /// A pause action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let args = context.arguments
        for key in args.keys where !Self.supported.contains(key) {
            return ControllerActionResult(
                .failed(
                    "Unsupported parameters for (pause) module: \(key). Supported parameters include: echo, minutes, prompt, seconds."
                ))
        }
        if args["seconds"] != nil && args["minutes"] != nil {
            return ControllerActionResult(.failed("parameters are mutually exclusive: minutes|seconds"))
        }
        let echo = try ActionArguments.bool(args, "echo", default: true, action: Self.name)
        let minutes = try Self.whole(args, "minutes")
        let seconds = try Self.whole(args, "seconds")
        // A wait past any run's life (years) is clamped, never an overflow trap.
        let wait = minutes.map { $0.multipliedReportingOverflow(by: 60).overflow ? Int.max : $0 * 60 } ?? seconds
        let started = Date()
        var warnings: [Value] = []
        if let wait {
            try await _Concurrency.Task.sleep(for: .seconds(min(max(1, wait), Int(Int32.max))))
        } else {
            warnings.append("Not waiting for response to prompt as stdin is not interactive")
        }
        let elapsed = Date().timeIntervalSince(started)
        let unit = minutes != nil || wait == nil ? "minutes" : "seconds"
        let shown = ((unit == "minutes" ? elapsed / 60 : elapsed) * 100).rounded() / 100
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields = [
            "changed": false, "rc": 0, "stderr": "", "stdout": .string("Paused for \(PythonFloat.repr(shown)) \(unit)"),
            "start": .string(Self.timestamp(started)), "stop": .string(Self.timestamp(Date())),
            "delta": .int(Int(elapsed)), "echo": .bool(echo), "user_input": "",
        ]
        if !warnings.isEmpty { outcome.fields["warnings"] = .list(warnings) }
        return ControllerActionResult(outcome)
    }

    /// Ansible converts durations with `int()`, so `1.5` is accepted and means 1.
    private static func whole(_ args: OrderedDictionary<String, Value>, _ name: String) throws -> Int? {
        switch args[name] {
        case nil, .null?: return nil
        case .int(let n)?: return n
        case .float(let d)?:
            guard let n = Int(exactly: d.rounded(.towardZero)) else {
                throw ModuleArgumentError(
                    module: Self.name,
                    message: "argument '\(name)' is \(PythonFloat.repr(d)): not a whole number of \(name)")
            }
            return n
        case .string(let s)?:
            if let n = Int(s.trimmingCharacters(in: .whitespaces)) { return n }
            throw ModuleArgumentError(
                module: Self.name,
                message:
                    "argument '\(name)' is of type str and we were unable to convert to int: invalid literal for int() with base 10: '\(s)'"
            )
        case let other?:
            throw ModuleArgumentError(
                module: Self.name,
                message: "argument '\(name)' is of type \(other.pythonTypeName) and we were unable to convert to int")
        }
    }

    /// `str(datetime.now())`: `2024-01-31 12:00:00.123456`.
    static func timestamp(_ date: Date) -> String { PythonDateTime.string(date) }
}
