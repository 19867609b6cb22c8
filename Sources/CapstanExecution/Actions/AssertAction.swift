import CapstanBasics
import CapstanModules

/// `assert`: evaluates each condition of `that` in turn; the first false one fails the task with
/// `fail_msg` (or its alias `msg`), reporting the `assertion` and what it `evaluated_to`. Success
/// reports `success_msg`, shown in full unless `quiet`.
public struct AssertAction: ControllerAction {
    /// `assert`.
    public static let name = "assert"
    /// Ansible's argument spec for `assert`.
    public static let spec = ArgumentSpec([
        ArgumentDefinition(
            "fail_msg", .custom(AnsibleConversions.stringOrListOfStrings), aliases: ["msg"],
            default: "Assertion failed"),
        ArgumentDefinition(
            "success_msg", .custom(AnsibleConversions.stringOrListOfStrings), default: "All assertions passed"),
        ArgumentDefinition("quiet", .bool, default: false),
        ArgumentDefinition("that", .custom(AnsibleConversions.listStrict), required: true),
    ])

    let conditions: [Value]
    let failMessage: Value
    let successMessage: Value
    let quiet: Bool

    /// An assert action for the checked arguments.
    public init(arguments: ModuleArguments) {
        conditions = arguments["that"]?.listValue ?? []
        failMessage = arguments["fail_msg"] ?? "Assertion failed"
        successMessage = arguments["success_msg"] ?? "All assertions passed"
        quiet = arguments.bool("quiet")
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
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
}
