/// The text of `ansible-playbook --list-tasks`, `--list-tags` and `--syntax-check` for a loaded playbook,
/// line for line as Ansible prints it.
public enum PlaybookListing {
    /// `--syntax-check` after a successful load.
    public static func syntaxCheck(_ playbook: Playbook) -> String {
        "\nplaybook: \(playbook.path)\n"
    }

    /// `--list-tasks`: each play's tasks (pre_tasks, roles, tasks, post_tasks) with their tags; blocks'
    /// `rescue`/`always` and handlers are not listed, as in Ansible. Plays are headed as written.
    public static func listTasks(_ playbook: Playbook, tags: TagSelection = TagSelection()) -> String {
        render(playbook, listTasks: true, listTags: false, selection: tags) { Heading($0) }
    }

    /// `--list-tasks` with each play's line from `heading` (its pattern and name as the run templates them).
    public static func listTasks(_ playbook: Playbook, tags: TagSelection, heading: (Play) throws -> Heading)
        rethrows -> String
    {
        try render(playbook, listTasks: true, listTags: false, selection: tags, heading: heading)
    }

    /// `--list-tags`: each play's tags and the tags of its tasks.
    public static func listTags(_ playbook: Playbook, tags: TagSelection = .everything) -> String {
        render(playbook, listTasks: false, listTags: true, selection: tags) { Heading($0) }
    }

    /// `--list-tags` with each play's line from `heading`.
    public static func listTags(_ playbook: Playbook, tags: TagSelection, heading: (Play) throws -> Heading)
        rethrows -> String
    {
        try render(playbook, listTasks: false, listTags: true, selection: tags, heading: heading)
    }

    /// What a play's line shows: its hosts pattern and its name.
    public struct Heading {
        public var pattern: String
        public var name: String

        public init(pattern: String, name: String) {
            self.pattern = pattern
            self.name = name
        }

        /// As written in the playbook.
        public init(_ play: Play) { self.init(pattern: play.pattern, name: play.displayName) }
    }

    private static func render(
        _ playbook: Playbook, listTasks: Bool, listTags: Bool, selection: TagSelection,
        heading: (Play) throws -> Heading
    ) rethrows -> String {
        var out = "\nplaybook: \(playbook.path)\n"
        for (index, play) in playbook.plays.enumerated() {
            let playTags = unique(play.keywords.tags)
            let tagList = playTags.joined(separator: ",")
            let shown = try heading(play)
            out += "\n  play #\(index + 1) (\(shown.pattern)): \(shown.name)\tTAGS: [\(tagList)]\n"
            var walker = Walker(listTasks: listTasks, selection: selection, playTags: Set(playTags))
            walker.walk(play.preTasks + play.compiledTasks() + play.postTasks, inherited: Set(playTags))
            var section = listTasks ? "    tasks:\n" + walker.lines : ""
            if listTags {
                let all = walker.allTags.union(playTags).sorted()
                section += "      TASK TAGS: [\(all.joined(separator: ", "))]\n"
            }
            out += section
        }
        return out
    }

    private static func unique(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        return tags.filter { seen.insert($0).inserted }
    }

    /// Walks task items as Ansible's listing does: only `block:` lists, tags inherited from parents.
    private struct Walker {
        let listTasks: Bool
        let selection: TagSelection
        let playTags: Set<String>
        var lines = ""
        var allTags = Set<String>()

        mutating func walk(_ items: [TaskItem], inherited: Set<String>) {
            for item in items {
                switch item {
                case .task(let t): line(t, inherited: inherited)
                case .includeTasks(let i): line(i.task, inherited: inherited)
                case .includeRole(let i): line(i.task, inherited: inherited)
                case .block(let b): walk(b.block, inherited: inherited.union(b.keywords.tags))
                }
            }
        }

        private mutating func line(_ t: PlaybookTask, inherited: Set<String>) {
            let tags = inherited.union(t.keywords.tags)
            guard selection.shouldRun(tags) else { return }
            allTags.formUnion(tags)
            guard listTasks else { return }
            let name: String
            if let own = t.keywords.name, !own.isEmpty {
                name = t.role.map { "\($0.name) : \(own)" } ?? own
            } else {
                name = t.actionAsWritten
            }
            lines += "      \(name)\tTAGS: [\(tags.union(playTags).sorted().joined(separator: ", "))]\n"
        }
    }
}
