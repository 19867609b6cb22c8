import CapstanBasics
import CapstanModules
import Collections
import OrderedCollections

/// `set_fact`: sets host variables at the set_fact level; the values are already templated. Ansible's
/// `cacheable` is accepted and has no further effect (Capstan has no fact cache).
public struct SetFactAction: ControllerAction {
    /// `set_fact`.
    public static let name = "set_fact"
    /// Any key is a fact; `cacheable` is the one option.
    public static let spec = ArgumentSpec([ArgumentDefinition("cacheable", .raw)], unknownKeys: .accepted)

    let facts: OrderedDictionary<String, Value>

    /// A set_fact action for the checked arguments.
    public init(arguments: ModuleArguments) {
        facts = arguments.extra
    }

    /// Returns the facts, once their names are checked.
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard !facts.isEmpty else {
            return ControllerActionResult(
                .failed("No key/value pairs provided, at least one is required for this action to succeed"))
        }
        for key in facts.keys where !Self.isIdentifier(key) {
            return ControllerActionResult(
                .failed(
                    "The variable name '\(key)' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores."
                ))
        }
        let outcome = ModuleOutcome(status: .ok, fields: ["ansible_facts": .dict(facts)])
        return ControllerActionResult(outcome, effects: ControllerActionEffects(facts: facts))
    }

    /// Python identifier rules as Ansible checks variable names.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else {
            return false
        }
        return s.unicodeScalars.allSatisfy {
            $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
        }
    }
}
