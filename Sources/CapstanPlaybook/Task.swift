import CapstanBasics
import Collections
import OrderedCollections

/// An entry of a task list: a task, a block, or a dynamic include that the engine expands at run time.
/// Static imports (`import_tasks`, `import_role`) and roles are already resolved into blocks.
public enum TaskItem: Sendable {
    /// A task that runs a module or action.
    case task(PlaybookTask)
    /// A block: written in the file, or made by the loader for an import or a role.
    case block(Block)
    /// `include_tasks`: a file read when the task runs.
    case includeTasks(IncludeTasks)
    /// `include_role`: a role loaded when the task runs.
    case includeRole(IncludeRole)

    /// Where the item starts.
    public var location: SourceLocation {
        switch self {
        case .task(let t): return t.location
        case .block(let b): return b.location
        case .includeTasks(let i): return i.task.location
        case .includeRole(let i): return i.task.location
        }
    }
}

/// One task as written: the action with its arguments, and the task's own keywords. Inherited
/// keywords stay on the enclosing blocks; the engine combines them.
public struct PlaybookTask: Sendable {
    /// Shared keywords (`name`, `when`, `tags`, `become`, ...).
    public var keywords: TaskKeywords
    /// The action's short name (`copy` for `ansible.builtin.copy`).
    public var action: String
    /// The action as written (`ansible.builtin.copy`), which `--list-tasks` prints for unnamed tasks.
    public var actionAsWritten: String
    /// The module arguments: mapping form, `k=v` form (with `_raw_params` for free text) and `args:` merged.
    public var arguments: OrderedDictionary<String, Value>
    /// Set for `local_action:`, which means `delegate_to: localhost`.
    public var isLocalAction: Bool = false
    /// Set when `action:` or `local_action:` names an action nobody can resolve: Ansible resolves
    /// those forms when the task runs, so the task fails then (or is skipped by its `when`).
    public var isUnresolved: Bool = false
    /// For a module Capstan lacks: the `library/` folders Ansible would search for it (the task's
    /// role's, the playbook's, and those of every role loaded before it).
    public var libraryFolders: [String] = []
    /// `loop:` or `with_<lookup>:`.
    public var loop: Loop?
    /// `loop_control:`.
    public var loopControl: LoopControl?
    /// `register:`.
    public var register: String?
    /// `notify:` handler names or listen topics.
    public var notify: [String] = []
    /// `listen:` topics (handlers only).
    public var listen: [String] = []
    /// `changed_when:`.
    public var changedWhen: [Condition] = []
    /// `failed_when:`.
    public var failedWhen: [Condition] = []
    /// `until:`.
    public var until: [Condition] = []
    /// `retries:`.
    public var retries: Templated<Int>?
    /// `delay:` in seconds.
    public var delay: Templated<Double>?
    /// `async:` in seconds.
    public var asyncSeconds: Templated<Int>?
    /// `poll:` in seconds.
    public var poll: Templated<Int>?
    /// The role this task belongs to, when it came from one.
    public var role: RoleScope?
    /// Where the task's mapping starts.
    public var location: SourceLocation

    /// The name Ansible shows in a `TASK [...]` banner: `role : name`, with the action as written
    /// standing in for a missing name.
    public var displayName: String {
        let own = keywords.name.flatMap { $0.isEmpty ? nil : $0 } ?? actionAsWritten
        guard let role else { return own }
        return "\(role.name) : \(own)"
    }

    /// Creates a task running `action` with no keywords.
    public init(
        action: String, actionAsWritten: String? = nil, arguments: OrderedDictionary<String, Value> = .init(),
        keywords: TaskKeywords = TaskKeywords(), location: SourceLocation
    ) {
        self.action = action
        self.actionAsWritten = actionAsWritten ?? action
        self.arguments = arguments
        self.keywords = keywords
        self.location = location
    }
}

/// `loop:` or one of the `with_<lookup>:` forms.
public struct Loop: Sendable {
    /// The lookup plugin of a `with_` loop (`items`, `dict`, `sequence`, ...), nil for `loop:`.
    public var lookup: String?
    /// The loop's terms as written: a list, a mapping, or a template string.
    public var terms: Value
    /// Where the loop keyword was written.
    public var location: SourceLocation
}

/// `loop_control:`.
public struct LoopControl: Sendable {
    /// The loop variable's name (default `item`).
    public var loopVar: String = "item"
    /// The variable holding the 0-based index, if any.
    public var indexVar: String?
    /// A template shown instead of the item.
    public var label: String?
    /// Seconds to wait between items.
    public var pause: Templated<Double>?
    /// Whether `ansible_loop` is set.
    public var extended: Templated<Bool>?
    /// Whether `ansible_loop.allitems` is set.
    public var extendedAllItems: Templated<Bool>?
    /// `break_when:` conditions.
    public var breakWhen: [Condition] = []
    /// Where `loop_control:` was written.
    public var location: SourceLocation
}

/// A block: its own keywords (inherited by its children) and three task lists.
public struct Block: Sendable {
    /// Why the block exists.
    public enum Origin: Sendable {
        /// `block:` written in a task list.
        case written
        /// The tasks of `import_tasks: FILE`, with the import's keywords on the block.
        case importTasks(file: String)
        /// A role's tasks (dependencies first, as nested role blocks), with the role reference's keywords.
        case role(RoleScope)
        /// `import_role`, holding the reference (whose handlers join the play's handlers) and the role's block.
        case importRole(RoleReference)
    }

    /// The block's keywords.
    public var keywords: TaskKeywords
    /// `block:` items.
    public var block: [TaskItem]
    /// `rescue:` items.
    public var rescue: [TaskItem] = []
    /// `always:` items.
    public var always: [TaskItem] = []
    /// `notify:` on a block, inherited by its tasks.
    public var notify: [String] = []
    /// Why the block exists.
    public var origin: Origin
    /// Where the block (or the import, or the role reference) was written.
    public var location: SourceLocation

    /// Creates a block.
    public init(keywords: TaskKeywords, block: [TaskItem], origin: Origin, location: SourceLocation) {
        self.keywords = keywords
        self.block = block
        self.origin = origin
        self.location = location
    }
}

/// `include_tasks`: validated now, read by the engine when the task runs.
public struct IncludeTasks: Sendable {
    /// The task itself (keywords, loop, and the raw arguments).
    public var task: PlaybookTask
    /// The file name as written (may be a template).
    public var file: String
    /// `apply:` keywords for the included tasks, raw.
    public var apply: OrderedDictionary<String, Value>
    /// The file found at load time when the name has no template, for the engine to start from.
    public var resolvedPath: String?
}

/// `include_role`: validated now, loaded by the engine when the task runs.
public struct IncludeRole: Sendable {
    /// The task itself (keywords, loop, and the raw arguments).
    public var task: PlaybookTask
    /// The role name as written (may be a template).
    public var name: String
    /// `tasks_from`: the tasks file to run instead of `tasks/main.yml`.
    public var tasksFrom: String?
    /// `vars_from`: the vars file to load instead of `vars/main.yml`.
    public var varsFrom: String?
    /// `defaults_from`: the defaults file to load instead of `defaults/main.yml`.
    public var defaultsFrom: String?
    /// `handlers_from`: the handlers file to load instead of `handlers/main.yml`.
    public var handlersFrom: String?
    /// `public:`.
    public var isPublic: Bool?
    /// `allow_duplicates:`.
    public var allowDuplicates: Bool?
    /// `apply:` keywords, raw.
    public var apply: OrderedDictionary<String, Value>
    /// `rolespec_validate:`: whether the role's argument spec is checked before its tasks.
    public var validate = true
    /// The role's directory when the name has no template and was found at load time.
    public var resolvedPath: String?
}
