import CapstanBasics

/// How deep imports, includes and role dependencies may nest, one inside the other.
///
/// A file importing itself is caught by name, but not one reached under ever longer names (a symlink
/// to its own folder) or an `include_tasks` of itself, which only the engine sees. Ansible runs into
/// Python's recursion limit there ("Exceeded maximum object depth") or slows down without end;
/// Capstan stops at a fixed depth with an error at the statement that went one level too far.
package enum IncludeLimits {
    /// Deepest chain of static imports (`import_playbook`, `import_tasks`, `import_role`, `roles:` and
    /// their dependencies, counted together), and of `include_tasks`/`include_role` at run time.
    static let maximumDepth = 256
    /// What the static chain is made of, for the message.
    static let imports = "import_playbook, import_tasks, import_role and role dependencies"

    /// Refuses to go one level deeper than `maximumDepth` from `depth` levels.
    package static func check(
        _ depth: Int, at location: SourceLocation, what: String = "include_tasks and include_role"
    )
        throws
    {
        guard depth >= maximumDepth else { return }
        throw InputError(
            "Exceeded maximum object depth: \(what) nest more than \(maximumDepth) levels deep; expected a "
                + "file or role that does not include itself without end", at: location)
    }
}
