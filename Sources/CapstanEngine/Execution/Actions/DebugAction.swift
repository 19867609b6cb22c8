/// `debug`: shows `msg` (default "Hello world!") or the value of the variable named by `var`.
/// A minimal version for the engine's own tests; the output helper's fuller one replaces it.
public struct DebugAction: ControllerAction {
    /// `debug`.
    public static let name = "debug"

    /// A debug action.
    public init() {}

    /// Builds `{"msg": ...}` or `{"<var>": value}`; `verbosity` above `-v` count skips.
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        if let level = context.arguments["verbosity"], case .int(let n) = level, n > context.verbosity {
            return ControllerActionResult(
                ModuleOutcome(status: .skipped, fields: ["skipped_reason": "Verbosity threshold not met."]))
        }
        if case .string(let name)? = context.arguments["var"] {
            let value: Value
            do {
                value = try context.templar.evaluate(name, scope: context.scope)
            } catch let error as TemplateError where error.isUndefined {
                value = .string("VARIABLE IS NOT DEFINED!")
            }
            return ControllerActionResult(ModuleOutcome(status: .ok, fields: [name: value]))
        }
        let message = context.arguments["msg"] ?? "Hello world!"
        return ControllerActionResult(ModuleOutcome(status: .ok, fields: ["msg": message]))
    }
}
