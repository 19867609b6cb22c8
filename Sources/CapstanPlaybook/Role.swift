import CapstanBasics
import Collections

/// Which role a task came from, with what the engine needs for variable precedence: role defaults
/// (lowest), role vars and role parameters (high). Carried by each task and role block.
public struct RoleScope: Sendable {
    /// The role's name as referenced (`common`, or a path such as `shared/pathrole`), as Ansible prints it.
    public var name: String
    /// The role's directory.
    public var path: String
    /// Role parameters from the reference (keys that are not keywords).
    public var params: OrderedDictionary<String, Value>
    /// `defaults/main.yml` (or `defaults_from`).
    public var defaults: OrderedDictionary<String, Value>
    /// `vars/main.yml` (or `vars_from`).
    public var vars: OrderedDictionary<String, Value>
    /// Names of the roles that pulled this one in as a dependency, outermost first.
    public var dependencyChain: [String]
}

/// A role loaded from its directory.
public struct Role: Sendable {
    /// The role's name as referenced.
    public var name: String
    /// The role's directory.
    public var path: String
    /// `defaults/main.yml`, empty when absent.
    public var defaults: OrderedDictionary<String, Value>
    /// `vars/main.yml`, empty when absent.
    public var vars: OrderedDictionary<String, Value>
    /// `meta/main.yml` `dependencies`, each loaded.
    public var dependencies: [RoleReference]
    /// `meta/main.yml` `allow_duplicates`.
    public var allowDuplicates: Bool
    /// `tasks/main.yml` (or the `tasks_from` file), with `scope` set on every task.
    public var tasks: [TaskItem]
    /// The tasks file read, nil when the role has none.
    public var tasksFile: String?
    /// `handlers/main.yml`.
    public var handlers: [TaskItem]
    /// The role's `templates/` folder when it exists.
    public var templatesPath: String?
    /// The role's `files/` folder when it exists.
    public var filesPath: String?
    /// The scope given to this role's tasks.
    public var scope: RoleScope
}

/// A use of a role: in a play's `roles:`, in `dependencies:`, or by `import_role`.
public struct RoleReference: Sendable {
    /// The name or path as written.
    public var name: String
    /// Keywords on the reference (`when`, `tags`, `vars`, `become`, ...), inherited by the role's tasks.
    public var keywords: TaskKeywords
    /// Role parameters (every key that is not a keyword).
    public var params: OrderedDictionary<String, Value>
    /// The loaded role.
    public var role: Role
    /// Where the reference was written.
    public var location: SourceLocation

    /// What makes two uses of a role "the same role" for Ansible's run-once rule (unless
    /// `allow_duplicates`): name, path, parameters, `when`, `tags`, `vars` and the files chosen.
    public var identity: String {
        let conditions = Value.list(keywords.when.map { .string($0.text) })
        let tags = Value.list(keywords.tags.map { .string($0) })
        let parts: [Value] = [
            .string(name), .string(role.path), .dict(params), conditions, tags, .dict(keywords.vars),
            .string(role.tasksFile ?? ""),
        ]
        return Value.list(parts).json()
    }

    /// The role's tasks in Ansible's order, as one block carrying the reference's keywords: each
    /// dependency's block first (recursively), then the role's own tasks.
    public func compiledTasks() -> TaskItem {
        let items = role.dependencies.map { $0.compiledTasks() } + role.tasks
        return .block(Block(keywords: keywords, block: items, origin: .role(role.scope), location: location))
    }

    /// The role's handlers, dependencies' first, in one block carrying the reference's keywords.
    public func compiledHandlers() -> TaskItem {
        let items = role.dependencies.map { $0.compiledHandlers() } + role.handlers
        return .block(Block(keywords: keywords, block: items, origin: .role(role.scope), location: location))
    }
}
