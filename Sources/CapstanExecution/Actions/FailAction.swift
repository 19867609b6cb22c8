import CapstanModules

/// `fail`: fails the task with `msg` (Ansible's default "Failed as requested from task").
public struct FailAction: ControllerAction {
    /// `fail`.
    public static let name = "fail"
    /// The message when none is given.
    static let defaultMessage = "Failed as requested from task"

    /// A fail action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let message = context.arguments["msg"] ?? .string(Self.defaultMessage)
        var outcome = ModuleOutcome(status: .failed)
        outcome.fields = ["msg": message, "changed": false, "failed": true]
        return ControllerActionResult(outcome)
    }
}
