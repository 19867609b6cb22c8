import CapstanBasics
import CapstanModules

/// `assert`: evaluates each condition of `that` in turn; the first false one fails the task with
/// `fail_msg` (or `msg`), reporting the `assertion` and what it `evaluated_to`. Success reports
/// `success_msg`, shown in full unless `quiet`.
public struct AssertAction: ControllerAction {
    /// `assert`.
    public static let name = "assert"
    static let supported: Set<String> = ["that", "fail_msg", "msg", "success_msg", "quiet"]

    /// An assert action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let args = context.arguments
        for key in args.keys where !Self.supported.contains(key) {
            return ControllerActionResult(.failed("Invalid options for assert: \(key)"))
        }
        guard let that = args["that"] else {
            return ControllerActionResult(.failed("conditional required in \"that\" string"))
        }
        let failMessage = args["fail_msg"] ?? args["msg"] ?? "Assertion failed"
        let successMessage = args["success_msg"] ?? "All assertions passed"
        for (key, message) in [("fail_msg", failMessage), ("success_msg", successMessage)] {
            guard Self.isMessage(message) else {
                return ControllerActionResult(
                    .failed("Incorrect type for \(key), expected a string or list and got \(message.pythonTypeName)"))
            }
        }
        let quiet = try ActionArguments.bool(args, "quiet", action: Self.name)
        let conditions = that.listValue ?? [that]
        for condition in conditions {
            let text = condition.stringValue ?? condition.pythonString
            if case .bool(true) = condition { continue }
            if try !context.templar.condition(text, scope: context.scope, origin: context.task.location) {
                var outcome = ModuleOutcome(status: .failed)
                outcome.fields = [:]
                if !quiet { outcome.fields["_ansible_verbose_always"] = true }
                outcome.fields["evaluated_to"] = false
                outcome.fields["assertion"] = condition
                outcome.fields["msg"] = failMessage
                outcome.fields["changed"] = false
                outcome.fields["failed"] = true
                return ControllerActionResult(outcome)
            }
        }
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields = [:]
        if !quiet { outcome.fields["_ansible_verbose_always"] = true }
        outcome.fields["changed"] = false
        outcome.fields["msg"] = successMessage
        return ControllerActionResult(outcome)
    }

    private static func isMessage(_ value: Value) -> Bool {
        switch value {
        case .string: return true
        case .list(let items): return items.allSatisfy { $0.stringValue != nil }
        default: return false
        }
    }
}
