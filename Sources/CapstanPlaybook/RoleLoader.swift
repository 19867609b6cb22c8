import CapstanBasics
import CapstanYAML
import Collections

extension PlaybookParser {
    /// A role reference from `roles:` or `dependencies:`: a name, or a mapping with `role:` (or `name:`),
    /// keywords, and parameters.
    func roleReference(_ node: YAMLNode, parent: RoleScope?) throws -> RoleReference {
        if node.pairs == nil {
            let name = try reader.string(node, "role")
            return try loadRole(
                name: name, keywords: TaskKeywords(), params: [:], from: RoleFiles(name: name),
                at: node.location, parent: parent)
        }
        let pairs = try reader.pairs(node, what: "a role")
        guard
            let nameNode = pairs.first(where: { $0.key == "role" })?.value
                ?? pairs.first(where: { $0.key == "name" })?.value
        else {
            throw InputError("role definitions must contain a role name", at: node.location)
        }
        let name = try reader.string(nameNode, "role")
        var keywords = TaskKeywords()
        var params = OrderedDictionary<String, Value>()
        for (key, _, value) in pairs where key != "role" {
            if try reader.common(key, value, into: &keywords, owner: "Role") { continue }
            params[key] = try reader.value(value)
        }
        if pairs.contains(where: { $0.key == "role" }) == false { keywords.name = nil }
        return try loadRole(
            name: name, keywords: keywords, params: params, from: RoleFiles(name: name),
            at: node.location, parent: parent)
    }

    /// Where a role named `name` may be: each search folder, then the playbook folder (a name with a
    /// slash is also a path).
    func roleCandidates(_ name: String, parent: RoleScope?) -> [String] {
        if name.hasPrefix("/") { return [Paths.normalize(name)] }
        return searchFolders(parent: parent).map { Paths.join($0, name) }
    }

    /// The role search path: `roles/` next to the playbook, the caller's folders, the parent role's
    /// folder (for dependencies), then the playbook folder itself.
    func searchFolders(parent: RoleScope?) -> [String] {
        var folders = [Paths.join(baseDirectory, "roles")] + roleSearchPaths
        if let parent { folders.append(Paths.directory(of: parent.path)) }
        folders.append(baseDirectory)
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// Finds and reads a role: defaults, vars, meta (dependencies first), tasks and handlers.
    package func loadRole(
        name: String, keywords: TaskKeywords, params: OrderedDictionary<String, Value>, from files: RoleFiles,
        at location: SourceLocation, parent: RoleScope?
    ) throws -> RoleReference {
        guard !NodeReader.isTemplate(name) else {
            throw InputError(
                "role name '\(name)' is a template; roles: and import_role need a name known at load time",
                at: location)
        }
        guard let path = roleCandidates(name, parent: parent).first(where: Paths.isDirectory) else {
            throw InputError(
                "the role '\(name)' was not found in "
                    + searchFolders(parent: parent).joined(separator: ":"), at: location)
        }
        guard !roleStack.contains(path) else {
            throw InputError(
                "A recursion loop was detected with the roles specified. Make sure child roles do not "
                    + "have dependencies on parent roles", at: location)
        }
        try IncludeLimits.check(importDepth, at: location, what: IncludeLimits.imports)
        roleStack.append(path)
        // As Ansible adds a loaded role's `library/` to its module path, for every task after it.
        if !roleLibraryFolders.contains(path + "/library") { roleLibraryFolders.append(path + "/library") }
        importDepth += 1
        defer {
            roleStack.removeLast()
            importDepth -= 1
        }

        let defaults = try roleVariables(path, "defaults", files.defaultsFrom, at: location)
        let vars = try roleVariables(path, "vars", files.varsFrom, at: location)
        let chain = (parent?.dependencyChain ?? []) + (parent.map { [$0.name] } ?? [])
        var scope = RoleScope(
            name: name, path: path, params: params, defaults: defaults, vars: vars,
            dependencyChain: chain)
        let meta = try roleMeta(path, scope: scope)
        // As Ansible's Role.get_default_vars: the dependencies' defaults (with theirs), then the
        // role's own, so a role sees the defaults of the roles it depends on.
        var inherited = OrderedDictionary<String, Value>()
        for dependency in meta.dependencies { inherited.merge(dependency.role.scope.defaults) { $1 } }
        scope.defaults = inherited.merging(defaults) { $1 }
        let tasksFile = try roleFile(path, "tasks", files.tasksFrom, at: location)
        let handlersFile = try roleFile(path, "handlers", files.handlersFrom, at: location)
        var ctx = FileContext(file: tasksFile ?? path, role: scope)
        var tasks = try tasksFile.map { try roleTaskFile($0, ctx, from: location) } ?? []
        if files.validate,
            let validation = try roleArgumentSpecs(path, fromMeta: meta.argumentSpecs)?.validationTask(
                entryPoint: files.tasksFrom ?? "main", role: scope, params: params)
        {
            tasks.insert(.task(validation), at: 0)
        }
        ctx.file = handlersFile ?? path
        ctx.isHandler = true
        let handlers =
            try handlersFile.map { try roleTaskFile($0, ctx, from: location) } ?? []
        let role = Role(
            name: name, path: path, defaults: defaults, vars: vars, dependencies: meta.dependencies,
            allowDuplicates: meta.allowDuplicates, tasks: tasks, tasksFile: tasksFile, handlers: handlers,
            templatesPath: Paths.isDirectory(path + "/templates") ? path + "/templates" : nil,
            filesPath: Paths.isDirectory(path + "/files") ? path + "/files" : nil, scope: scope)
        return RoleReference(name: name, keywords: keywords, params: params, role: role, location: location)
    }

    /// The items of a role's tasks or handlers file; a file that is not a list is reported at its start.
    private func roleTaskFile(_ path: String, _ ctx: FileContext, from location: SourceLocation) throws -> [TaskItem] {
        let doc = try document(path, from: location)
        return try taskList(doc, ctx, owner: doc?.location ?? location)
    }

    /// `SUB/main.yml` (or `.yaml`, `.json`, no extension), or `SUB/<from>` when `from` is given, which
    /// must then exist.
    private func roleFile(_ path: String, _ sub: String, _ from: String?, at location: SourceLocation) throws -> String?
    {
        let base = Paths.join(path + "/" + sub, from ?? "main")
        let candidates = [base + ".yml", base + ".yaml", base + ".json", base]
        if let found = candidates.first(where: Paths.isFile) { return found }
        if let from {
            throw InputError("Could not find specified file in role: \(sub)/\(from)", at: location)
        }
        return nil
    }

    /// `defaults/` or `vars/` of a role: a mapping, or nothing.
    private func roleVariables(_ path: String, _ sub: String, _ from: String?, at location: SourceLocation) throws
        -> OrderedDictionary<String, Value>
    {
        guard let file = try roleFile(path, sub, from, at: location), let doc = try document(file, from: location)
        else {
            return [:]
        }
        switch try reader.value(doc) {
        case .null: return [:]
        case .dict(let d): return d
        case let other:
            throw InputError(
                "A role's \(sub) file must be a mapping, not a \(other.pythonTypeName)",
                at: doc.location)
        }
    }

    /// `meta/main.yml`: `dependencies` (loaded), `allow_duplicates` and `argument_specs` (with where it
    /// was written); other keys are Galaxy's.
    private func roleMeta(_ path: String, scope: RoleScope) throws -> (
        dependencies: [RoleReference], allowDuplicates: Bool, argumentSpecs: (Value, SourceLocation)?
    ) {
        guard let file = try roleFile(path, "meta", nil, at: SourceLocation(file: path, line: 1, column: 1)),
            let doc = try document(file, from: nil)
        else { return ([], false, nil) }
        if case .scalar = doc.kind, try reader.value(doc) == .null { return ([], false, nil) }
        var dependencies: [RoleReference] = []
        var allowDuplicates = false
        var argumentSpecs: (Value, SourceLocation)?
        for (key, _, value) in try reader.pairs(doc, what: "role metadata") {
            switch key {
            case "argument_specs": argumentSpecs = (try reader.value(value), value.location)
            case "allow_duplicates":
                guard case .value(let b) = try reader.bool(value, key) else {
                    throw InputError("allow_duplicates must be a boolean, not a template", at: value.location)
                }
                allowDuplicates = b
            case "dependencies":
                if case .scalar = value.kind, try reader.value(value) == .null { continue }
                guard let items = value.items else {
                    throw InputError("Expected role dependencies to be a list.", at: value.location)
                }
                dependencies = try items.map { try roleReference($0, parent: scope) }
            default: continue
            }
        }
        return (dependencies, allowDuplicates, argumentSpecs)
    }
}
