import CapstanBasics
import Collections

/// A keyword value that is either known at load time or a Jinja2 expression the engine templates later
/// (`become: "{{ use_sudo }}"`), the way Ansible post-validates keywords per host.
public enum Templated<Wrapped: Sendable & Hashable>: Sendable, Hashable {
    /// A literal value read from YAML.
    case value(Wrapped)
    /// A template string, to be rendered and then converted to `Wrapped`.
    case template(String)
}

/// One condition of `when`, `changed_when`, `failed_when` or `until`: a Jinja2 expression without braces.
/// YAML booleans become `True`/`False`, as Ansible turns them into Python expressions.
public struct Condition: Sendable, Hashable {
    /// The expression text.
    public var text: String
    /// Where the condition was written.
    public var location: SourceLocation

    /// Creates a condition.
    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}

/// The keywords that blocks, tasks, role references and imports share, and that children inherit
/// (Ansible's `Base`, `Conditional`, `Taggable`, `Delegatable`). Unset keywords are nil (or empty for
/// lists), so that the engine can tell "not written" from "written as false" when it walks parents.
public struct TaskKeywords: Sendable {
    /// `name:`, as written (not templated).
    public var name: String?
    /// `when:` conditions; parents' conditions are evaluated before these.
    public var when: [Condition] = []
    /// `tags:`, flattened to strings (`"a, b"` is two tags).
    public var tags: [String] = []
    /// `vars:`, in the order written.
    public var vars: OrderedDictionary<String, Value> = [:]
    /// `become:`.
    public var become: Templated<Bool>?
    /// `become_user:`.
    public var becomeUser: String?
    /// `become_method:`.
    public var becomeMethod: String?
    /// `become_flags:`.
    public var becomeFlags: String?
    /// `become_exe:`.
    public var becomeExe: String?
    /// `ignore_errors:`.
    public var ignoreErrors: Templated<Bool>?
    /// `ignore_unreachable:`.
    public var ignoreUnreachable: Templated<Bool>?
    /// `environment:`, each entry a mapping or a template; parents' entries come first.
    public var environment: [Value] = []
    /// `delegate_to:`.
    public var delegateTo: String?
    /// `delegate_facts:`.
    public var delegateFacts: Templated<Bool>?
    /// `run_once:`.
    public var runOnce: Templated<Bool>?
    /// `no_log:`.
    public var noLog: Templated<Bool>?
    /// `check_mode:`.
    public var checkMode: Templated<Bool>?
    /// `diff:`.
    public var diff: Templated<Bool>?
    /// `timeout:` in seconds.
    public var timeout: Templated<Int>?
    /// `throttle:`.
    public var throttle: Templated<Int>?
    /// `any_errors_fatal:`.
    public var anyErrorsFatal: Templated<Bool>?
    /// `remote_user:`.
    public var remoteUser: String?
    /// `connection:`.
    public var connection: String?
    /// `port:`.
    public var port: Templated<Int>?
    /// `module_defaults:`, kept raw (a mapping or a list of mappings).
    public var moduleDefaults: Value?
    /// `debugger:`.
    public var debugger: String?

    /// Keywords with nothing set.
    public init() {}
}

/// The keyword names of each kind of object, as Ansible's field attributes define them: a key outside
/// these sets is an error (or, on a task, the action).
public enum KeywordNames {
    /// `Base`, `Conditional`, `Taggable`, `CollectionSearch` and `Delegatable` keywords, shared by all.
    public static let common: Set<String> = [
        "name", "connection", "port", "remote_user", "vars", "module_defaults", "environment", "no_log",
        "run_once", "ignore_errors", "ignore_unreachable", "check_mode", "diff", "any_errors_fatal", "throttle",
        "timeout", "debugger", "become", "become_method", "become_user", "become_flags", "become_exe", "when",
        "tags", "collections", "delegate_to", "delegate_facts",
    ]
    /// Keywords of a task (handlers add `listen`).
    public static let task: Set<String> = common.union([
        "notify", "args", "action", "local_action", "async", "changed_when", "delay", "failed_when", "loop",
        "loop_control", "poll", "register", "retries", "until",
    ])
    /// Keywords of a block.
    public static let block: Set<String> = common.union(["block", "rescue", "always", "notify"])
    /// Keywords of a role reference in `roles:` or `dependencies:`; every other key is a role parameter.
    public static let roleReference: Set<String> = common.union(["role"])
    /// Keywords of a play.
    public static let play: Set<String> = common.subtracting(["when", "delegate_to", "delegate_facts"]).union([
        "hosts", "gather_facts", "gather_subset", "gather_timeout", "fact_path", "vars_files", "vars_prompt",
        "roles", "handlers", "pre_tasks", "post_tasks", "tasks", "force_handlers", "max_fail_percentage", "serial",
        "strategy", "order", "user",
    ])
    /// Keywords allowed next to `import_playbook`.
    public static let playbookImport: Set<String> = ["name", "vars", "tags", "when", "import_playbook"]
    /// Keys of `loop_control`.
    public static let loopControl: Set<String> = [
        "loop_var", "index_var", "label", "pause", "extended", "extended_allitems", "break_when",
    ]
}
