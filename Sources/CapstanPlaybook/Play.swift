import CapstanBasics
import Collections

/// A parsed playbook: its plays in order, with `import_playbook` already replaced by the imported plays.
public struct Playbook: Sendable {
    /// The playbook file as given.
    public var path: String
    /// Every play, imports expanded.
    public var plays: [Play]
    /// Non-fatal problems seen while loading (duplicate keys, include targets not found yet, ...).
    public var warnings: [Warning]
}

/// One play.
public struct Play: Sendable {
    /// `name:`, nil when not written.
    public var name: String?
    /// `hosts:` entries (a string is one entry).
    public var hosts: [String]
    /// `gather_facts:` (nil = the default, true).
    public var gatherFacts: Templated<Bool>?
    /// `gather_subset:`.
    public var gatherSubset: [String]?
    /// `gather_timeout:`.
    public var gatherTimeout: Templated<Int>?
    /// `vars_files:`.
    public var varsFiles: [VarsFile] = []
    /// `vars_prompt:` (never prompted: the default is used).
    public var varsPrompt: [VarsPrompt] = []
    /// `roles:`, loaded.
    public var roles: [RoleReference] = []
    /// `pre_tasks:`.
    public var preTasks: [TaskItem] = []
    /// `tasks:`.
    public var tasks: [TaskItem] = []
    /// `post_tasks:`.
    public var postTasks: [TaskItem] = []
    /// `handlers:` of the play itself (role handlers: `compiledHandlers()`).
    public var handlers: [TaskItem] = []
    /// `serial:` batches.
    public var serial: [SerialBatch] = []
    /// `strategy:` (`linear`, `free`, ...), nil for the default.
    public var strategy: String?
    /// `max_fail_percentage:`.
    public var maxFailPercentage: Templated<Double>?
    /// `force_handlers:`.
    public var forceHandlers: Templated<Bool>?
    /// `order:`.
    public var order: String?
    /// Play-level keywords (vars, become, tags, environment, ...); `when` is always empty here.
    public var keywords: TaskKeywords
    /// `when:` of the `import_playbook` statements that brought this play in, outermost first.
    public var importConditions: [Condition] = []
    /// The directory of the playbook file this play was written in (Ansible's basedir for the play).
    public var baseDirectory: String
    /// Where the play starts.
    public var location: SourceLocation

    /// The name Ansible shows: `name:`, or the hosts joined with commas.
    public var displayName: String { name ?? hosts.joined(separator: ",") }

    /// The host pattern for the inventory: hosts joined with commas.
    public var pattern: String { hosts.joined(separator: ",") }

    /// The play's main task list as Ansible compiles it: each role's block, then `tasks:`.
    public func compiledTasks() -> [TaskItem] {
        roles.map { $0.compiledTasks() } + tasks
    }

    /// The play's handlers: each role's handlers first (from `roles:`, then from `import_role` tasks in
    /// the order written), then `handlers:`.
    public func compiledHandlers() -> [TaskItem] {
        roles.map { $0.compiledHandlers() }
            + Self.importedRoles(in: preTasks + tasks + postTasks).map {
                $0.compiledHandlers()
            } + handlers
    }

    /// The defaults of the roles ansible-core makes public to the whole play: those of `roles:`, then
    /// those of `import_role` tasks, each with its dependencies' defaults, later ones winning.
    public var publicRoleDefaults: OrderedDictionary<String, Value> {
        var merged = OrderedDictionary<String, Value>()
        for reference in roles + Self.importedRoles(in: preTasks + tasks + postTasks) {
            merged.merge(reference.role.scope.defaults) { $1 }
        }
        return merged
    }

    /// The `import_role` references inside `items`, nested blocks included.
    static func importedRoles(in items: [TaskItem]) -> [RoleReference] {
        items.flatMap { item -> [RoleReference] in
            guard case .block(let b) = item else { return [] }
            if case .importRole(let reference) = b.origin { return [reference] }
            return importedRoles(in: b.block + b.rescue + b.always)
        }
    }
}

/// An entry of `vars_files:`.
public enum VarsFile: Sendable, Hashable {
    /// A file name (may be a template).
    case file(String, SourceLocation)
    /// A list of names: the first one found is read.
    case firstFound([String], SourceLocation)
}

/// An entry of `vars_prompt:`; Capstan never prompts, so the default (or an extra var) is used.
public struct VarsPrompt: Sendable {
    /// The variable to set.
    public var name: String
    /// The prompt text.
    public var prompt: String?
    /// The default value.
    public var defaultValue: Value?
    /// `private:`.
    public var isPrivate: Bool
    /// Where the entry was written.
    public var location: SourceLocation
}

/// One `serial:` batch size.
public enum SerialBatch: Sendable, Hashable {
    /// A number of hosts.
    case count(Int)
    /// A percentage of the play's hosts (`"30%"`).
    case percent(Double)
    /// A template rendered at run time.
    case template(String)
}
