import CapstanBasics
import CapstanModules
import Collections

/// The message a module's argument check gives for `arguments`, or `nil` if they are accepted.
package func argumentError<M: Module>(_ module: M.Type, _ arguments: OrderedDictionary<String, Value>) -> String? {
    do {
        _ = try M(arguments: try ModuleArguments(arguments, spec: M.spec, module: M.name))
        return nil
    } catch let error as ModuleArgumentError {
        return error.message
    } catch {
        return "\(error)"
    }
}
