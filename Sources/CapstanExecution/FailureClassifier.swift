import CapstanModules
import CapstanTransport

/// Decides whether a transport failure makes a host UNREACHABLE (the host is at fault and drops out)
/// or FAILED (the task is at fault), with the result fields Ansible shows for each.
public enum FailureClassifier {
    /// The outcome a module call ends with when the connection throws `error`.
    public static func outcome(for error: ConnectionError) -> ModuleOutcome {
        if error.isUnreachable {
            return ModuleOutcome(
                status: .unreachable, fields: ["msg": .string(error.description), "unreachable": true])
        }
        return .failed(error.description)
    }
}
