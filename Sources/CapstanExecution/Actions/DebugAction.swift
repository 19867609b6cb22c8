import CapstanBasics
import CapstanModules
import CapstanTemplating

/// `debug`: shows `msg` (default "Hello world!") or the value of the variable or expression named by
/// `var`, as Ansible 2.19 does: always shown in full (`_ansible_verbose_always`), skipped when its
/// `verbosity` is above the run's `-v` count, and an undefined `var` shown as an error marker with a
/// warning rather than failing the task.
public struct DebugAction: ControllerAction {
    /// `debug`.
    public static let name = "debug"
    /// The message when neither `msg` nor `var` is given.
    static let defaultMessage = "Hello world!"
    /// Ansible's argument spec for `debug`.
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("msg", .raw, default: .string(defaultMessage)),
            ArgumentDefinition("var", .custom(AnsibleConversions.stringNoConversion)),
            ArgumentDefinition("verbosity", .int, default: 0),
        ], mutuallyExclusive: [["msg", "var"]])

    /// What to show.
    enum Shown {
        case message(Value)
        case expression(String)
    }

    let shown: Shown
    let verbosity: Int

    /// A debug action for the checked arguments.
    public init(arguments: ModuleArguments) {
        if case .string(let expression)? = arguments["var"] {
            shown = .expression(expression)
        } else {
            shown = .message(arguments["msg"] ?? .string(Self.defaultMessage))
        }
        if case .int(let n)? = arguments["verbosity"] { verbosity = n } else { verbosity = 0 }
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard verbosity <= context.verbosity else {
            return ControllerActionResult(
                ModuleOutcome(status: .skipped, fields: ["skipped_reason": "Verbosity threshold not met."]))
        }
        var fields: [(String, Value)] = []
        switch shown {
        case .expression(let name):
            do {
                fields.append((name, try context.templar.evaluate(name, scope: context.scope)))
            } catch let error as TemplateError where error.isUndefined {
                fields.append((name, .string("<< error 1 - \(error.message) >>")))
                fields.append(
                    ("warnings", .list([.string("Encountered 1 template error.\nerror 1 - \(error.message)")])))
            }
        case .message(let message):
            fields.append(("msg", message))
        }
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields = [:]
        for (key, value) in fields.prefix(1) { outcome.fields[key] = value }
        outcome.fields["_ansible_verbose_always"] = true
        outcome.fields["changed"] = false
        for (key, value) in fields.dropFirst() { outcome.fields[key] = value }
        return ControllerActionResult(outcome)
    }
}
