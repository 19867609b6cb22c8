import CapstanBasics
import CapstanPlaybook
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// Turns `loop:` and `with_<lookup>:` into the list of items, through the templating environment's
/// lookup plugins (`with_x: terms` is `query('x', *terms)`).
struct LoopExpander {
    /// A loop that cannot be expanded (wrong data for the lookup, unknown lookup).
    struct LoopError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    let templar: Templar

    /// The items of `loop` in `scope`; the terms are templated first. `action` is the task's module,
    /// which tells `with_first_found` which role folder to search.
    func items(_ loop: Loop, scope: VariableScope, action: String = "") throws -> [Value] {
        let terms = try templar.renderDeep(loop.terms, scope: scope, origin: loop.location)
        guard let lookup = loop.lookup else {
            guard case .list(let list) = terms else {
                throw LoopError(
                    message:
                        "Invalid data passed to 'loop', it requires a list, got this instead: \(terms.pythonString). "
                        + "Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup."
                )
            }
            return list
        }
        return try Self.expand(lookup, terms, environment: templar.environment, scope: scope, action: action)
    }

    /// A `with_<lookup>` over already templated terms.
    static func expand(
        _ lookup: String, _ terms: Value, environment: TemplateEnvironment = TemplateEnvironment(),
        scope: VariableScope? = nil, action: String = ""
    ) throws -> [Value] {
        let name = lookup.hasPrefix("ansible.builtin.") ? String(lookup.dropFirst(16)) : lookup
        let args = CallArguments(positional: terms.listValue ?? [terms], environment: environment, scope: scope)
        let result: Value
        do {
            if name == "first_found" {
                result = try JinjaLookups.firstFound(args, subdir: firstFoundSubdir(action))
            } else {
                guard let plugin = environment.lookups[name] else {
                    throw LoopError(message: "lookup plugin (\(lookup)) not found")
                }
                result = try plugin(args)
            }
        } catch let error as TemplateError {
            throw LoopError(message: error.message)
        }
        return result.listValue ?? [result]
    }

    /// Ansible picks the folder from the action's name: `templates` for `template`, `vars` for
    /// `include_vars`, `files` otherwise.
    static func firstFoundSubdir(_ action: String) -> String {
        for word in ["template", "var", "file"] where action.contains(word) { return word + "s" }
        return "files"
    }
}
