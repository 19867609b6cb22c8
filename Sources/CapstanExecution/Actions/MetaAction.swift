import CapstanModules

/// `meta: ACTION`: asks the strategy to flush handlers, end the play or the host, clear facts, ...
public struct MetaAction: ControllerAction {
    /// `meta`.
    public static let name = "meta"

    /// A meta action.
    public init() {}

    /// Turns the free-form word into a `MetaRequest`; an unknown word fails the task as in Ansible.
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        let word = context.arguments["_raw_params"]?.pythonString ?? ""
        guard let request = MetaRequest(rawValue: word) else {
            return ControllerActionResult(.failed("invalid meta action requested: \(word)"))
        }
        return ControllerActionResult(
            ModuleOutcome(status: .ok, fields: [:]), effects: ControllerActionEffects(meta: request))
    }
}
