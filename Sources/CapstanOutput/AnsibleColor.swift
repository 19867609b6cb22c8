/// The colours Ansible's output uses, by the role they play (its `COLOR_*` settings with their
/// default values).
public enum AnsibleColor: Sendable {
    /// `ok` results and hosts without changes in the recap (green).
    case ok
    /// `changed` results (yellow).
    case changed
    /// Failed results and errors (red).
    case error
    /// Unreachable hosts (bright red).
    case unreachable
    /// Skipped results, `...ignoring`, no hosts matched (cyan).
    case skip
    /// `included: ...` lines (cyan).
    case included
    /// Warnings and the recap's `ignored` count (bright purple).
    case warn
    /// Task paths at `-vv` (dark gray).
    case debug
    /// Added lines of a diff (green).
    case diffAdd
    /// Removed lines of a diff (red).
    case diffRemove
    /// Hunk headers of a diff (cyan).
    case diffLines

    /// The SGR parameters Ansible's `COLOR_CODES` gives the default colour name.
    var code: String {
        switch self {
        case .ok, .diffAdd: return "0;32"
        case .changed: return "0;33"
        case .error, .diffRemove: return "0;31"
        case .unreachable: return "1;31"
        case .skip, .included, .diffLines: return "0;36"
        case .warn: return "1;35"
        case .debug: return "1;30"
        }
    }
}

extension TerminalStyle {
    /// Paints `text` as Ansible's `stringc` does: each line wrapped on its own, so that a line never
    /// starts without its colour.
    public func paint(_ text: String, _ color: AnsibleColor) -> String {
        guard enabled else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "\u{1B}[\(color.code)m\($0)\u{1B}[0m" }
            .joined(separator: "\n")
    }
}
