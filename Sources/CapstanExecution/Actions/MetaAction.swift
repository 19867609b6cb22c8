import CapstanBasics
import CapstanModules

/// `meta: ACTION`: asks the strategy to flush handlers, end the play or the host, clear facts, ...
public struct MetaAction: ControllerAction {
    /// `meta`.
    public static let name = "meta"
    /// Free-form: the word is the request; other keys are ignored, as the strategy reads only the word.
    public static let spec = ArgumentSpec([], acceptsFreeForm: true, unknownKeys: .accepted)

    let word: String

    /// A meta action for the checked arguments.
    public init(arguments: ModuleArguments) {
        word = arguments["_raw_params"]?.pythonString ?? ""
    }

    /// Turns the free-form word into a `MetaRequest`; an unknown word fails the task as in Ansible.
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard let request = MetaRequest(rawValue: word) else {
            return ControllerActionResult(.failed("invalid meta action requested: \(word)"))
        }
        return ControllerActionResult(
            ModuleOutcome(status: .ok, fields: [:]), effects: ControllerActionEffects(meta: request))
    }
}
