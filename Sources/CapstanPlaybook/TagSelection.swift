/// `--tags` / `--skip-tags`: which tasks run, by Ansible's `evaluate_tags` rules (`always`, `never`,
/// `all`, `tagged`, `untagged`).
public struct TagSelection: Sendable, Hashable {
    /// `--tags` (Ansible's default is `all`).
    public var only: Set<String>
    /// `--skip-tags`.
    public var skip: Set<String>

    /// A selection; the default runs everything not tagged `never`.
    public init(only: Set<String> = ["all"], skip: Set<String> = []) {
        self.only = only
        self.skip = skip
    }

    /// What `--list-tags` uses when no tags were given: everything, `never` included.
    public static let everything = TagSelection(only: ["never", "all"])

    /// Whether a task with these effective tags (its own and inherited) runs.
    public func shouldRun(_ taskTags: Set<String>) -> Bool {
        let tags: Set<String> = taskTags.isEmpty ? ["untagged"] : taskTags
        let untagged = tags == ["untagged"]
        var run = true
        if !only.isEmpty {
            if tags.contains("always") {
                run = true
            } else if only.contains("all") && !tags.contains("never") {
                run = true
            } else if !tags.isDisjoint(with: only) {
                run = true
            } else if only.contains("tagged") && !untagged && !tags.contains("never") {
                run = true
            } else {
                run = false
            }
        }
        if run && !skip.isEmpty {
            if skip.contains("all") {
                if !tags.contains("always") || skip.contains("always") { run = false }
            } else if !tags.isDisjoint(with: skip) {
                run = false
            } else if skip.contains("tagged") && !untagged {
                run = false
            }
        }
        return run
    }
}
