import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanInventory
import CapstanModules
import CapstanOutput
import CapstanPlaybook

/// How the CLI shows problems: `[WARNING]: ...` and `ERROR: ...` on standard error, as Ansible does,
/// and the exit code that says which kind of problem it was.
enum Diagnostics {
    static func printWarnings(_ warnings: [Warning]) {
        for w in warnings { OutputStream.standardError.write("[WARNING]: \(w)\n") }
    }

    static func printError(_ message: String) {
        OutputStream.standardError.write("ERROR: \(message)\n")
    }

    /// Prints an error and returns the exit to throw: input errors exit 65, others 1.
    /// Input errors print as `FILE:LINE:COL: message`, as compilers do.
    static func fail(_ error: Error) -> ExitCode {
        switch error {
        case let error as InputError:
            OutputStream.standardError.write("\(error)\n")
            return ExitCode(ExitStatus.invalidInput.rawValue)
        case is NoHostsToTarget:
            printError("\(error)")
            return ExitCode(ExitStatus.noHostsMatched.rawValue)
        case is InventoryError, is ModuleArgumentError, is FreeFormArguments.SplitError:
            printError("\(error)")
            return ExitCode(ExitStatus.invalidInput.rawValue)
        default:
            printError("\(error)")
            return ExitCode(ExitStatus.internalError.rawValue)
        }
    }
}
