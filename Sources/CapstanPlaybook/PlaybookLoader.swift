import CapstanYAML

/// Reads an Ansible playbook into typed plays: imports and roles resolved, includes validated and
/// left for the engine, every object located in its file.
///
/// How the engine walks the result, in Ansible's order: for each play, `preTasks`, then
/// `compiledTasks()` (one block per role, dependencies' blocks first, then `tasks:`), then `postTasks`;
/// handlers come from `compiledHandlers()`. Keywords are inherited through nesting: a task's effective
/// `when`/`tags`/`become`/`vars`... are those of the play, then of each enclosing `Block` (written
/// blocks, `import_tasks` blocks, role blocks carrying the role reference's keywords), then its own.
/// `Task.role` names the role a task came from, with its defaults, vars and parameters.
/// `.includeTasks` and `.includeRole` items are expanded by the engine when they run.
public struct PlaybookLoader: Sendable {
    /// Role folders searched after `roles/` next to the playbook (`--roles-path`, the project's `roles/`).
    public var roleSearchPaths: [String]
    /// The action names tasks may use.
    public var modules: ModuleNames

    /// A loader that accepts the given module short names (FQCN prefixes are resolved to them).
    public init(roleSearchPaths: [String] = [], knownModules: Set<String>) {
        self.roleSearchPaths = roleSearchPaths
        self.modules = ModuleNames(known: knownModules)
    }

    /// Loads the playbook at `path`; paths in locations stay as given (relative stays relative).
    public func load(path: String) throws -> Playbook {
        let parser = PlaybookParser(
            modules: modules, roleSearchPaths: roleSearchPaths,
            baseDirectory: Paths.directory(of: path))
        let plays = try ParserStack.run { try parser.plays(inFile: path, from: nil, chain: []) }
        return Playbook(path: path, plays: plays, warnings: parser.reader.warnings)
    }
}
