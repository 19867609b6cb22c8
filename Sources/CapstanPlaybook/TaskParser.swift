import CapstanBasics
import CapstanYAML
import Collections

extension PlaybookParser {
    /// A list of tasks (`tasks:`, a role's `tasks/main.yml`, a block's `rescue:`); `owner` is where
    /// Ansible points when the list is not a list.
    package func taskList(_ node: YAMLNode?, _ ctx: FileContext, owner: SourceLocation, what: String = "tasks") throws
        -> [TaskItem]
    {
        guard let node else { return [] }
        if case .scalar = node.kind, try reader.value(node) == .null { return [] }
        guard let items = node.items else {
            throw InputError(
                "A malformed block was encountered while loading \(what): expected a list or None, "
                    + "found \(reader.kindName(node))", at: owner)
        }
        return try items.flatMap { try taskItem($0, ctx) }
    }

    /// One entry of a task list; a static import can turn into several items.
    func taskItem(_ node: YAMLNode, _ ctx: FileContext) throws -> [TaskItem] {
        guard node.pairs != nil else {
            throw InputError(
                "A malformed block was encountered while loading a block: expected a mapping, found "
                    + "\(reader.kindName(node))", at: node.location)
        }
        let pairs = try reader.pairs(node, what: "a task")
        if pairs.contains(where: { ["block", "rescue", "always"].contains($0.key) }) {
            return [.block(try block(node, pairs, ctx))]
        }
        return try task(node, pairs, ctx)
    }

    /// `block:` with `rescue:`, `always:` and keywords.
    func block(_ node: YAMLNode, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ ctx: FileContext)
        throws -> Block
    {
        var result = Block(keywords: TaskKeywords(), block: [], origin: .written, location: node.location)
        for (key, keyNode, value) in pairs {
            switch key {
            case "block": result.block = try taskList(value, ctx, owner: node.location, what: "block")
            case "rescue": result.rescue = try taskList(value, ctx, owner: node.location, what: "rescue")
            case "always": result.always = try taskList(value, ctx, owner: node.location, what: "always")
            case "notify": result.notify = try reader.stringList(value, key)
            default:
                guard try reader.common(key, value, into: &result.keywords, owner: "Block") else {
                    throw InputError("'\(key)' is not a valid attribute for a Block", at: keyNode.location)
                }
            }
        }
        return result
    }

    /// A task: the action, then the keywords; includes and imports are dispatched from here.
    func task(_ node: YAMLNode, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], _ ctx: FileContext)
        throws -> [TaskItem]
    {
        let keywordNames = ctx.isHandler ? KeywordNames.task.union(["listen"]) : KeywordNames.task
        var libraryFolders = [ctx.role?.path, baseDirectory].compactMap { $0 }.map { $0 + "/library" }
        libraryFolders += roleLibraryFolders.filter { !libraryFolders.contains($0) }
        let parser = ActionParser(
            reader: reader, modules: modules, libraryFolders: libraryFolders, collectionFolders: collectionFolders)
        let found = try parser.parse(pairs, keywords: keywordNames, task: node)
        var t = PlaybookTask(
            action: found.action, actionAsWritten: found.written, arguments: found.arguments,
            location: node.location)
        t.role = ctx.role
        t.isUnresolved = found.isUnresolved
        if modules.canonical(found.action) == nil { t.libraryFolders = libraryFolders }
        if found.isLocal {
            t.isLocalAction = true
            t.keywords.delegateTo = "localhost"
        }
        for (key, _, value) in pairs where key != found.written {
            try taskKeyword(key, value, into: &t)
        }
        switch found.action {
        case "include_tasks": return [.includeTasks(try includeTasks(t, ctx))]
        case "include_role": return [.includeRole(try includeRole(t, ctx))]
        case "import_tasks": return [try importTasks(t, ctx)]
        case "import_role": return [try importRole(t, ctx)]
        case "include_vars":
            try validateIncludeVars(t)
            return [.task(t)]
        default: return [.task(t)]
        }
    }

    /// One keyword of a task (the action key itself is skipped by the caller).
    private func taskKeyword(_ key: String, _ value: YAMLNode, into t: inout PlaybookTask) throws {
        if try reader.common(key, value, into: &t.keywords, owner: "Task") { return }
        switch key {
        case "action", "local_action", "args": break
        case "register": t.register = try reader.register(value)
        case "notify": t.notify = try reader.stringList(value, key)
        case "listen": t.listen = try reader.stringList(value, key)
        case "changed_when": t.changedWhen = try reader.conditions(value, key)
        case "failed_when": t.failedWhen = try reader.conditions(value, key)
        case "until": t.until = try reader.conditions(value, key)
        case "retries": t.retries = try reader.int(value, key)
        case "delay": t.delay = try reader.double(value, key)
        case "async": t.asyncSeconds = try reader.int(value, key)
        case "poll": t.poll = try reader.int(value, key)
        case "loop_control": t.loopControl = try reader.loopControl(value)
        case "loop":
            try setLoop(&t, Loop(lookup: nil, terms: try reader.value(value), location: value.location))
        default:
            guard key.hasPrefix("with_") else { return }
            let loop = Loop(lookup: String(key.dropFirst(5)), terms: try reader.value(value), location: value.location)
            try setLoop(&t, loop)
        }
    }

    /// Ansible allows one loop per task and names the second one (`items` for `with_items`).
    private func setLoop(_ t: inout PlaybookTask, _ loop: Loop) throws {
        guard t.loop == nil else {
            throw InputError("duplicate loop in task: \(loop.lookup ?? "loop")", at: t.location)
        }
        t.loop = loop
    }
}
