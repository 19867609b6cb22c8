import CapstanBasics
import CapstanModules
import Collections

/// `validate_argument_spec`: checks the variables named by `argument_spec` (taken from the host's
/// variables, overridden by `provided_arguments`) against it, as Ansible's action does. The loader
/// puts one before the tasks of every role whose entry point has a spec (`RoleArgumentSpecs`).
public struct ValidateArgumentSpecAction: ControllerAction {
    /// `validate_argument_spec`.
    public static let name = "validate_argument_spec"

    /// Its three options; other keys are kept, as Ansible's action ignores them.
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("argument_spec", .raw), ArgumentDefinition("provided_arguments", .raw),
            ArgumentDefinition("validate_args_context", .raw),
        ], unknownKeys: .accepted)

    /// The arguments as given (the spec's own checks are made in `run`, with Ansible's messages).
    let args: OrderedDictionary<String, Value>

    /// A validate_argument_spec action for the checked arguments.
    public init(arguments: ModuleArguments) {
        var given = arguments.extra
        for (key, value) in arguments.values where value != .null { given[key] = value }
        args = given
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let validationContext = args["validate_args_context"] ?? .dict([:])
        guard let specValue = args["argument_spec"] else {
            return ControllerActionResult(
                .failed("\"argument_spec\" arg is required in args: \(Value.dict(args).pythonString)"))
        }
        guard let options = specValue.dictValue else {
            return ControllerActionResult(
                .failed(
                    "Incorrect type for argument_spec, expected dict and got \(ArgumentConversion.pythonClass(specValue))"
                ))
        }
        let providedValue = args["provided_arguments"] ?? .dict([:])
        guard let provided = providedValue.dictValue else {
            return ControllerActionResult(
                .failed(
                    "Incorrect type for provided_arguments, expected dict and got "
                        + ArgumentConversion.pythonClass(providedValue)))
        }
        let spec: ArgumentSpec
        do {
            spec = try ArgumentSpec(ansibleOptions: options)
        } catch let error as ArgumentSpecError {
            return ControllerActionResult(.failed(error.message))
        }
        var values = OrderedDictionary<String, Value>()
        for name in options.keys {
            if let value = try context.scope.lookup(name) { values[name] = value }
        }
        values.merge(provided) { $1 }
        let errors = ArgumentSpecValidator(spec).validate(values).errors
        guard errors.isEmpty else {
            var outcome = ModuleOutcome(status: .failed)
            outcome.fields["validate_args_context"] = validationContext
            outcome.fields["msg"] = .string("Validation of arguments failed:\n" + errors.joined(separator: "\n"))
            outcome.fields["argument_spec_data"] = specValue
            outcome.fields["argument_errors"] = .list(errors.map { .string($0) })
            return ControllerActionResult(outcome)
        }
        var outcome = ModuleOutcome(status: .ok)
        outcome.fields["validate_args_context"] = validationContext
        outcome.fields["msg"] = "The arg spec validation passed"
        return ControllerActionResult(outcome)
    }
}
