import CapstanBasics

/// The sh program behind `unarchive`. Inputs: archive (its path on the node), dest, uploaded (1:
/// remove the archive afterwards), check, keep_newer, mode/owner/group (applied to every member
/// after an extraction), exclude/include (patterns, one a line), and extra_opts as the positional
/// parameters. Reports `handler`, `file` (one per member) and `changed`.
enum UnarchiveProgram {
    static let body = NodePrograms.unarchive
}
