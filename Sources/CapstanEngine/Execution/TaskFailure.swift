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
                "The task includes an option with an undefined variable. The error was: \(e.message)\n\n\(place)",
                ["location": .string("\(task.location)")])
        case let e as TemplateError:
            return .failed("\(e.message)\n\n\(place)", ["location": .string("\(task.location)")])
        case let e as ModuleArgumentError:
            return .failed(e.message, ["location": .string("\(task.location)")])
        case let e as ConnectionError:
            return FailureClassifier.outcome(for: e)
        default:
            return .failed("\(error)\n\n\(place)", ["location": .string("\(task.location)")])
        }
    }
}
