import CapstanBasics
import Collections
import Foundation

/// `pause`: waits on the controller, not on the host. Capstan runs non-interactively, so a `prompt`
/// is never answered: with `seconds`/`minutes` the pause lasts that long, without them it returns at
/// once with Ansible's warning for a non-interactive stdin. Returns Ansible's fields (`start`,
/// `stop`, `delta`, `stdout` "Paused for N seconds", `user_input`, `echo`).
public struct PauseModule: Module {
    public static let name = "pause"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("echo", .bool, default: true), ArgumentDefinition("minutes", .int),
            ArgumentDefinition("seconds", .int), ArgumentDefinition("prompt"),
        ], mutuallyExclusive: [["minutes", "seconds"]])

    let seconds: Int?
    let inMinutes: Bool
    let echo: Bool

    public init(arguments: ModuleArguments) throws {
        if case .int(let m)? = arguments["minutes"] {
            seconds = m * 60
            inMinutes = true
        } else if case .int(let s)? = arguments["seconds"] {
            seconds = s
            inMinutes = false
        } else {
            seconds = nil
            inMinutes = true
        }
        echo = arguments.bool("echo")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let startDate = Date()
        var warnings: [Value] = []
        if let seconds {
            try await _Concurrency.Task.sleep(for: .seconds(max(seconds, 1)))
        } else {
            warnings.append("Not waiting for response to prompt as stdin is not interactive")
        }
        let stopDate = Date()
        let duration = stopDate.timeIntervalSince(startDate)
        let shown = ((inMinutes ? duration / 60 : duration) * 100).rounded() / 100
        var fields: OrderedDictionary<String, Value> = [
            "changed": false, "rc": 0, "stderr": "",
            "stdout": .string("Paused for \(Value.float(shown).pythonString) \(inMinutes ? "minutes" : "seconds")"),
            "start": .string(CommandTimestamps.format(startDate)), "stop": .string(CommandTimestamps.format(stopDate)),
            "delta": .int(Int(duration)), "echo": .bool(seconds == nil && echo), "user_input": "",
        ]
        if !warnings.isEmpty { fields["warnings"] = .list(warnings) }
        return ModuleOutcome(status: .ok, fields: fields)
    }
}
