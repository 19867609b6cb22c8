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

    /// A debug action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let args = context.arguments
        for key in args.keys where !["msg", "var", "verbosity"].contains(key) {
            return ControllerActionResult(
                .failed(
                    "Unsupported parameters for (debug) module: \(key). Supported parameters include: msg, var, verbosity."
                ))
        }
        if args["msg"] != nil && args["var"] != nil {
            return ControllerActionResult(.failed("parameters are mutually exclusive: msg|var"))
        }
        let threshold: Int
        switch args["verbosity"] {
        case nil: threshold = 0
        case .int(let n)?: threshold = n
        case .string(let s)?:
            guard let n = Int(s) else { return Self.badVerbosity(s) }
            threshold = n
        case let other?: return Self.badVerbosity(other.pythonString)
        }
        guard threshold <= context.verbosity else {
            return ControllerActionResult(
                ModuleOutcome(status: .skipped, fields: ["skipped_reason": "Verbosity threshold not met."]))
        }
        var fields: [(String, Value)] = []
        if case .string(let name)? = args["var"] {
            do {
                fields.append((name, try context.templar.evaluate(name, scope: context.scope)))
            } catch let error as TemplateError where error.isUndefined {
                fields.append((name, .string("<< error 1 - \(error.message) >>")))
                fields.append(
                    ("warnings", .list([.string("Encountered 1 template error.\nerror 1 - \(error.message)")])))
            }
        } else if let other = args["var"] {
            fields.append((other.pythonString, other))
        } else {
            fields.append(("msg", args["msg"] ?? .string(Self.defaultMessage)))
        }
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields = [:]
        for (key, value) in fields.prefix(1) { outcome.fields[key] = value }
        outcome.fields["_ansible_verbose_always"] = true
        outcome.fields["changed"] = false
        for (key, value) in fields.dropFirst() { outcome.fields[key] = value }
        return ControllerActionResult(outcome)
    }

    private static func badVerbosity(_ text: String) -> ControllerActionResult {
        ControllerActionResult(
            .failed(
                "argument 'verbosity' is of type str and we were unable to convert to int: '\(text)' cannot be converted to an int"
            ))
    }
}
