import CapstanBasics
import CapstanYAML
import Collections

extension PlaybookParser {
    /// The options `include_role` and `import_role` accept.
    static let roleIncludeOptions: Set<String> = [
        "name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public", "apply", "allow_duplicates",
        "rolespec_validate",
    ]

    /// `include_tasks`: checked now, expanded by the engine; a plain file name is looked up already.
    func includeTasks(_ t: PlaybookTask, _ ctx: FileContext) throws -> IncludeTasks {
        let file = try taskFileName(t)
        var apply: OrderedDictionary<String, Value> = [:]
        for (key, value) in t.arguments {
            switch key {
            case "file", "_raw_params": continue
            case "apply":
                guard case .dict(let d) = value else {
                    throw InputError("Expected a dict for apply but got \(value.pythonTypeName)", at: t.location)
                }
                apply = d
            default: throw InputError("Invalid options for include_tasks: \(key)", at: t.location)
            }
        }
        var resolved: String?
        if !NodeReader.isTemplate(file) {
            resolved = taskFileCandidates(file, ctx).first(where: Paths.isFile)
            if resolved == nil {
                reader.warn(
                    "include_tasks file '\(file)' was not found now; the engine looks again when it runs",
                    at: t.location)
            }
        }
        return IncludeTasks(task: t, file: file, apply: apply, resolvedPath: resolved)
    }

    /// `include_vars` stays a task, but its options are checked now with the action's own rules: file
    /// options and directory options do not mix, and nothing else is accepted.
    func validateIncludeVars(_ t: PlaybookTask) throws {
        let fileOptions: Set<String> = ["file", "_raw_params"]
        let dirOptions: Set<String> = [
            "dir", "depth", "files_matching", "ignore_files", "extensions", "ignore_unknown_extensions",
        ]
        let keys = Set(t.arguments.keys)
        if let bad = t.arguments.keys.first(where: {
            !fileOptions.contains($0) && !dirOptions.contains($0) && $0 != "name" && $0 != "hash_behaviour"
                && $0 != "_variable_params"
        }) {
            throw InputError("\(bad) is not a valid option in include_vars", at: t.location)
        }
        if !keys.isDisjoint(with: fileOptions) && !keys.isDisjoint(with: dirOptions) {
            throw InputError(
                "You are mixing file only and dir only arguments, these are incompatible", at: t.location)
        }
    }

    /// `import_tasks`: the file's tasks, read now, in a block carrying the import's keywords.
    func importTasks(_ t: PlaybookTask, _ ctx: FileContext) throws -> TaskItem {
        if t.loop != nil {
            throw InputError(
                "You cannot use loops on 'import_tasks' statements. You should use 'include_tasks' instead.",
                at: t.location)
        }
        let file = try taskFileName(t)
        if let extra = t.arguments.keys.first(where: { $0 != "file" && $0 != "_raw_params" }) {
            throw InputError("Invalid options for import_tasks: \(extra)", at: t.location)
        }
        guard !NodeReader.isTemplate(file) else {
            throw InputError(
                "import_tasks needs a file name known at load time, not a template: \(file)", at: t.location)
        }
        let candidates = taskFileCandidates(file, ctx)
        guard let path = candidates.first(where: Paths.isFile) else {
            throw InputError(
                "Unable to retrieve file contents. Could not find or access '\(file)'; searched "
                    + candidates.joined(separator: ", "), at: t.location)
        }
        guard !ctx.importChain.contains(path) else {
            throw InputError("import_tasks of '\(path)' imports itself", at: t.location)
        }
        var inner = ctx
        inner.file = path
        inner.importChain.append(path)
        let items = try nested(at: t.location) {
            let doc = try document(path, from: t.location)
            return try taskList(doc, inner, owner: doc?.location ?? t.location)
        }
        var block = Block(keywords: t.keywords, block: items, origin: .importTasks(file: path), location: t.location)
        block.notify = t.notify
        return .block(block)
    }

    /// `include_role`: checked now, loaded by the engine.
    func includeRole(_ t: PlaybookTask, _ ctx: FileContext) throws -> IncludeRole {
        let options = try roleIncludeArguments(t, action: "include_role")
        var include = IncludeRole(task: t, name: options.name, apply: [:])
        include.tasksFrom = options.tasksFrom
        include.varsFrom = options.varsFrom
        include.defaultsFrom = options.defaultsFrom
        include.handlersFrom = options.handlersFrom
        include.isPublic = options.isPublic
        include.validate = options.validate
        include.allowDuplicates = options.allowDuplicates
        include.apply = options.apply
        if !NodeReader.isTemplate(options.name) {
            include.resolvedPath = roleCandidates(options.name, parent: ctx.role).first(where: Paths.isDirectory)
            if include.resolvedPath == nil {
                reader.warn(
                    "role '\(options.name)' of include_role was not found now; the engine looks again when "
                        + "it runs", at: t.location)
            }
        }
        return include
    }

    /// `import_role`: the role loaded now (dependencies included), in a block carrying the keywords.
    func importRole(_ t: PlaybookTask, _ ctx: FileContext) throws -> TaskItem {
        if t.loop != nil {
            throw InputError(
                "You cannot use loops on 'import_role' statements. You should use 'include_role' instead.",
                at: t.location)
        }
        let options = try roleIncludeArguments(t, action: "import_role")
        guard !NodeReader.isTemplate(options.name) else {
            throw InputError(
                "import_role needs a role name known at load time, not a template: \(options.name)",
                at: t.location)
        }
        let reference = try loadRole(
            name: options.name, keywords: TaskKeywords(), params: [:], from: options, at: t.location, parent: ctx.role)
        var block = Block(
            keywords: t.keywords, block: [reference.compiledTasks()], origin: .importRole(reference),
            location: t.location)
        block.notify = t.notify
        return .block(block)
    }

    /// The file of `include_tasks`/`import_tasks`: `file:` or the free-form text.
    private func taskFileName(_ t: PlaybookTask) throws -> String {
        switch t.arguments["file"] ?? t.arguments["_raw_params"] {
        case .string(let s)?: return s
        case nil: throw InputError("No file specified for \(t.action)", at: t.location)
        case let other?:
            throw InputError("\(t.action) expects a file name, not a \(other.pythonTypeName)", at: t.location)
        }
    }

    /// Where a task file is looked for, in order: in a role, its `tasks/` folder, the including file's
    /// folder, then the role folder; elsewhere, the including file's folder, then the playbook's.
    package func taskFileCandidates(_ file: String, _ ctx: FileContext) -> [String] {
        if file.hasPrefix("/") { return [file] }
        let here = Paths.join(Paths.directory(of: ctx.file), file)
        var list: [String]
        if let role = ctx.role {
            list = [Paths.join(role.path + "/tasks", file), here, Paths.join(role.path, file)]
        } else {
            list = [here, Paths.join(baseDirectory, file)]
        }
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    /// The arguments of `include_role`/`import_role`, checked.
    private func roleIncludeArguments(_ t: PlaybookTask, action: String) throws -> RoleFiles {
        for key in t.arguments.keys where !Self.roleIncludeOptions.contains(key) {
            throw InputError("Invalid options for \(action): \(key)", at: t.location)
        }
        guard case .string(let name)? = t.arguments["name"] else {
            throw InputError("'name' is a required field for \(action).", at: t.location)
        }
        func text(_ key: String) throws -> String? {
            switch t.arguments[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case let other?:
                throw InputError(
                    "\(action) option '\(key)' must be a string, not a \(other.pythonTypeName)",
                    at: t.location)
            }
        }
        func flag(_ key: String) -> Bool? {
            switch t.arguments[key] {
            case .bool(let b)?: return b
            case .string(let s)?: return NodeReader.boolean(s)
            default: return nil
            }
        }
        var files = RoleFiles(name: name)
        files.tasksFrom = try text("tasks_from")
        files.varsFrom = try text("vars_from")
        files.defaultsFrom = try text("defaults_from")
        files.handlersFrom = try text("handlers_from")
        files.isPublic = flag("public")
        files.allowDuplicates = flag("allow_duplicates")
        files.apply = t.arguments["apply"]?.dictValue ?? [:]
        files.validate = flag("rolespec_validate") ?? true
        return files
    }
}

/// Which files of a role to read (`tasks_from` and friends), from `include_role`/`import_role`.
package struct RoleFiles {
    var name: String
    var tasksFrom: String?
    var varsFrom: String?
    var defaultsFrom: String?
    var handlersFrom: String?
    var isPublic: Bool?
    var allowDuplicates: Bool?
    var apply: OrderedDictionary<String, Value> = [:]
    /// `rolespec_validate`: whether the role's argument spec is checked first (the default).
    var validate = true

    package init(
        name: String, tasksFrom: String? = nil, varsFrom: String? = nil, defaultsFrom: String? = nil,
        handlersFrom: String? = nil, isPublic: Bool? = nil, allowDuplicates: Bool? = nil,
        apply: OrderedDictionary<String, Value> = [:], validate: Bool = true
    ) {
        self.name = name
        self.tasksFrom = tasksFrom
        self.varsFrom = varsFrom
        self.defaultsFrom = defaultsFrom
        self.handlersFrom = handlersFrom
        self.isPublic = isPublic
        self.allowDuplicates = allowDuplicates
        self.apply = apply
        self.validate = validate
    }
}
