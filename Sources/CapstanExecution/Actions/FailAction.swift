import CapstanBasics
import CapstanModules

/// `fail`: fails the task with `msg` (Ansible's default "Failed as requested from task").
public struct FailAction: ControllerAction {
    /// `fail`.
    public static let name = "fail"
    /// The message when none is given.
    static let defaultMessage = "Failed as requested from task"
    /// `msg` only; like Ansible's `_VALID_ARGS`, anything else is refused with its message.
    public static let spec = ArgumentSpec(
        [ArgumentDefinition("msg", .raw, default: .string(defaultMessage))],
        unknownKeys: .rejected { "Invalid options for fail: \($0.sorted().joined(separator: ","))" })

    let message: Value

    /// A fail action for the checked arguments.
    public init(arguments: ModuleArguments) {
        message = arguments["msg"] ?? .string(Self.defaultMessage)
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        var outcome = ModuleOutcome(status: .failed)
        outcome.fields = ["msg": message, "changed": false, "failed": true]
        return ControllerActionResult(outcome)
    }
}
