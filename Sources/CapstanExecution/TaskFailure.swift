import CapstanModules
import CapstanPlaybook
import CapstanTemplating
import CapstanTransport
import Collections
import OrderedCollections

/// Turns errors met while preparing or running a task into the failed result Ansible shows, with the
/// task's FILE:LINE:COL.
enum TaskFailure {
    static func outcome(for error: Error, task: PlaybookTask) -> ModuleOutcome {
        let place =
            "The error appears to be in '\(task.location.file)': line \(task.location.line), column \(task.location.column)"
        switch error {
        case let e as TemplateError where e.isUndefined:
            return .failed(
                "The task includes an option with an undefined variable. The error was: \(located(e, task))\n\n\(place)",
                ["location": .string("\(task.location)")])
        case let e as TemplateError:
            return .failed("\(located(e, task))\n\n\(place)", ["location": .string("\(task.location)")])
        case let e as ModuleArgumentError:
            return .failed(e.message, ["location": .string("\(task.location)")])
        case let e as ConnectionError:
            return FailureClassifier.outcome(for: e)
        default:
            return .failed("\(error)\n\n\(place)", ["location": .string("\(task.location)")])
        }
    }

    /// The error's message, after `FILE:LINE:COL: ` when it happened in another file than the task's (a
    /// template file or an included template), which the task's own location would not name.
    private static func located(_ error: TemplateError, _ task: PlaybookTask) -> String {
        guard let location = error.location, location.file != task.location.file else { return error.message }
        return "\(location): \(error.message)"
    }
}
