import CapstanBasics
import CapstanPlaybook
import Collections
import OrderedCollections

/// What a task inherits from the play and the blocks around it: keywords outermost first, the role it
/// runs in, `include_*` parameters, and the host-specific extras of a rescue section. The engine
/// combines these with the task's own keywords the way Ansible's parent chain does.
struct TaskFrame: Sendable {
    /// Keywords of the play, then of each enclosing block, outermost first.
    var keywords: [TaskKeywords]
    /// Block `vars:` only (the play's vars are a layer of their own), outermost first.
    var blockVars: [OrderedDictionary<String, Value>] = []
    /// The innermost role around the task.
    var role: RoleScope?
    /// Parameters of the `include_tasks` / `include_role` that brought the task in.
    var includeParams: OrderedDictionary<String, Value> = [:]
    /// `notify:` of enclosing blocks.
    var notify: [String] = []
    /// Whether these are handlers.
    var isHandler = false
    /// Whether a failure here will be rescued by an enclosing block (then `any_errors_fatal` waits).
    var rescuable = false
    /// Variables for some hosts only (a rescue's `ansible_failed_task` / `ansible_failed_result`).
    var hostExtras: [String: OrderedDictionary<String, Value>] = [:]
    /// The extras of the host this frame was narrowed to with `forHost`.
    var hostLayer: OrderedDictionary<String, Value> = [:]
    /// How many `include_tasks` / `include_role` brought these tasks in, one inside the other.
    var includeDepth = 0

    /// The frame as one host sees it.
    func forHost(_ host: String) -> TaskFrame {
        var f = self
        f.hostLayer = hostExtras[host] ?? [:]
        return f
    }

    /// The frame of a child block.
    func entering(_ block: Block) -> TaskFrame {
        var child = self
        child.keywords.append(block.keywords)
        child.blockVars.append(block.keywords.vars)
        child.notify += block.notify
        if case .role(let scope) = block.origin { child.role = scope }
        return child
    }

    /// The last value written for a keyword along the chain, the task's own winning.
    func keyword<T>(_ task: PlaybookTask, _ path: KeyPath<TaskKeywords, T?>) -> T? {
        if let own = task.keywords[keyPath: path] { return own }
        for k in keywords.reversed() { if let v = k[keyPath: path] { return v } }
        return nil
    }

    /// Every `when` condition along the chain, outermost first, then the task's own.
    func conditions(_ task: PlaybookTask) -> [Condition] {
        keywords.flatMap(\.when) + task.keywords.when
    }

    /// The task's tags with every inherited tag.
    func tags(_ task: PlaybookTask) -> Set<String> {
        Set(keywords.flatMap(\.tags) + task.keywords.tags)
    }

    /// `environment:` entries, play first, then blocks, then the task's.
    func environment(_ task: PlaybookTask) -> [Value] {
        keywords.flatMap(\.environment) + task.keywords.environment
    }
}
