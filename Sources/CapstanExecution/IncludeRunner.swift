import CapstanBasics
import CapstanPlaybook
import CapstanResults
import CapstanYAML
import Collections
import OrderedCollections

/// `include_tasks` and `include_role` at run time: each host evaluates the include's `when` and
/// file name; hosts that chose the same file run its tasks together, after an `included` event.
struct IncludeRunner {
    let walker: TaskListWalker
    var runtime: PlayRuntime { walker.runtime }

    /// A file one host chose to include, with the loop item it chose it under (nil without a loop).
    private struct Choice: Hashable {
        var file: String
        var item: String?
    }

    func includeTasks(_ include: IncludeTasks, hosts: [String], frame: TaskFrame) async {
        let task = include.task
        guard runtime.options.tags.shouldRun(frame.tags(task)) else { return }
        guard !walker.batch.active(hosts).isEmpty else { return }
        runtime.startTask(task, handler: frame.isHandler)
        var byFile: OrderedDictionary<Choice, [String]> = [:]
        var params: [Choice: [String: OrderedDictionary<String, Value>]] = [:]
        var failures: [HostTaskOutcome] = []
        for host in walker.batch.active(hosts) {
            let scope = runtime.scope(host, frame.forHost(host), task)
            do {
                for (choice, p) in try choices(include, host: host, scope: scope, frame: frame) {
                    byFile[choice, default: []].append(host)
                    params[choice, default: [:]][host] = p
                }
            } catch {
                failures.append(
                    HostTaskOutcome(
                        host: host, status: .failed, fields: TaskFailure.outcome(for: error, task: task).fields)
                )
            }
        }
        for failure in failures {
            runtime.sink.emit(
                .hostResult(
                    HostResult(
                        host: failure.host, status: .failed, fields: failure.fields, module: task.action)))
            runtime.state.count(failure.host) { $0.failed += 1 }
            walker.batch.fail(failure.host, task: task, result: failure.fields)
        }
        // Ansible announces every included file before it runs any of them.
        var loaded: [(Choice, [String], [TaskItem])] = []
        for (choice, fileHosts) in byFile {
            let items: [TaskItem]
            let path: String
            do {
                (path, items) = try load(choice.file, from: task, frame: frame)
            } catch {
                for host in fileHosts {
                    let fields = TaskFailure.outcome(for: error, task: task).fields
                    runtime.sink.emit(
                        .hostResult(
                            HostResult(host: host, status: .failed, fields: fields, module: task.action)))
                    runtime.state.count(host) { $0.failed += 1 }
                    walker.batch.fail(host, task: task, result: fields)
                }
                continue
            }
            runtime.sink.emit(.included(file: path, hosts: fileHosts, item: choice.item))
            for host in fileHosts { runtime.state.count(host) { $0.ok += 1 } }
            loaded.append((choice, fileHosts, items))
        }
        for (choice, fileHosts, items) in loaded {
            let params = params[choice] ?? [:]
            var applied = include.apply
            applied.removeValue(forKey: "block")
            var inner = frame
            inner.includeDepth += 1
            var keywords = task.keywords
            keywords.when = []
            inner.keywords.append(keywords)
            inner.blockVars.append(task.keywords.vars)
            if let tags = applied["tags"] {
                var k = TaskKeywords()
                k.tags = (tags.listValue ?? [tags]).map(\.pythonString)
                inner.keywords.append(k)
            }
            // Hosts may differ in parameters; each host gets its own frame when parameters differ.
            if Set(fileHosts.map { params[$0] ?? [:] }).count <= 1 {
                inner.includeParams = params[fileHosts[0]] ?? [:]
                await walker.run(items, hosts: fileHosts, frame: inner)
            } else {
                for host in fileHosts {
                    var own = inner
                    own.includeParams = params[host] ?? [:]
                    await walker.run(items, hosts: [host], frame: own)
                }
            }
        }
    }

    /// The files `host` includes: one, or one per loop item (with the item among its parameters).
    /// Items and hosts whose `when` is false get a `skipping` result, as Ansible prints them.
    private func choices(_ include: IncludeTasks, host: String, scope: LayeredScope, frame: TaskFrame) throws
        -> [(Choice, OrderedDictionary<String, Value>)]
    {
        let task = include.task
        guard let loop = task.loop else {
            guard let (name, p) = try choose(include, scope: scope, frame: frame) else {
                skip(host, task: task, fields: ["skip_reason": "Conditional result was False"], item: nil)
                return []
            }
            return [(Choice(file: name, item: nil), p)]
        }
        let loopVar = task.loopControl?.loopVar ?? "item"
        var chosen: [(Choice, OrderedDictionary<String, Value>)] = []
        var skipped: [Value] = []
        for item in try LoopExpander(templar: runtime.templar).items(loop, scope: scope, action: task.actionAsWritten) {
            let layer: OrderedDictionary<String, Value> = [loopVar: item, "ansible_loop_var": .string(loopVar)]
            guard let (name, chosenParams) = try choose(include, scope: scope.adding(layer), frame: frame) else {
                var fields = layer
                fields["skip_reason"] = "Conditional result was False"
                skip(host, task: task, fields: fields, item: item.pythonString, count: false)
                skipped.append(.dict(fields))
                continue
            }
            chosen.append((Choice(file: name, item: item.pythonString), chosenParams.merging(layer) { $1 }))
        }
        if chosen.isEmpty {
            skip(host, task: task, fields: ["msg": "All items skipped", "results": .list(skipped)], item: nil)
        }
        return chosen
    }

    /// The file and parameters one host (or loop item) includes, or nil when its `when` is false.
    private func choose(_ include: IncludeTasks, scope: LayeredScope, frame: TaskFrame) throws
        -> (String, OrderedDictionary<String, Value>)?
    {
        let task = include.task
        guard
            try frame.conditions(task).allSatisfy({
                try runtime.templar.condition($0.text, scope: scope, origin: $0.location)
            })
        else { return nil }
        let name = try runtime.templar.render(include.file, scope: scope, origin: task.location)
        var p = OrderedDictionary<String, Value>()
        for (k, v) in task.arguments where !["file", "_raw_params", "apply"].contains(k) {
            p[k] = try runtime.templar.renderDeep(v, scope: scope, origin: task.location)
        }
        return (name, p)
    }

    /// Reports (and, unless it is one item of a loop, counts) a skipped include.
    private func skip(
        _ host: String, task: PlaybookTask, fields: OrderedDictionary<String, Value>, item: String?,
        count: Bool = true
    ) {
        var all: OrderedDictionary<String, Value> = ["changed": false, "skipped": true]
        all.merge(fields) { $1 }
        var event = HostResult(host: host, status: .skipped, fields: all, module: task.action)
        event.itemLabel = item
        runtime.sink.emit(.hostResult(event))
        if count { runtime.state.count(host) { $0.skipped += 1 } }
    }

    /// Reads the task file `name` as the include names it (relative to the role or the including file).
    private func load(_ name: String, from task: PlaybookTask, frame: TaskFrame) throws -> (
        String, [TaskItem]
    ) {
        try IncludeLimits.check(frame.includeDepth, at: task.location)
        let parser = PlaybookParser(
            modules: runtime.moduleNames, roleSearchPaths: runtime.roleSearchPaths,
            baseDirectory: runtime.play.baseDirectory)
        let ctx = FileContext(file: task.location.file, role: frame.role)
        guard let path = parser.taskFileCandidates(name, ctx).first(where: Paths.isFile) else {
            throw InputError("Could not find or access '\(name)'", at: task.location)
        }
        let items = try ParserStack.run {
            let doc = try parser.document(path, from: task.location)
            return try parser.taskList(
                doc, FileContext(file: path, role: frame.role), owner: doc?.location ?? task.location)
        }
        return (path, items)
    }

    func includeRole(_ include: IncludeRole, hosts: [String], frame: TaskFrame) async {
        let task = include.task
        guard runtime.options.tags.shouldRun(frame.tags(task)) else { return }
        let active = walker.batch.active(hosts).filter { host in
            let scope = runtime.scope(host, frame.forHost(host), task)
            return
                (try? frame.conditions(task).allSatisfy {
                    try runtime.templar.condition($0.text, scope: scope, origin: $0.location)
                }) ?? false
        }
        guard let first = active.first else { return }
        let scope = runtime.scope(first, frame.forHost(first), task)
        // An unnamed include_role's banner names the role, as ansible-playbook's: `include_role : NAME`.
        var announced = task
        if (task.keywords.name ?? "").isEmpty,
            let shown = try? runtime.templar.render(include.name, scope: scope, origin: task.location)
        {
            announced.keywords.name = "\(task.actionAsWritten) : \(shown)"
        }
        runtime.startTask(announced, handler: frame.isHandler)
        do {
            try IncludeLimits.check(frame.includeDepth, at: task.location)
            let name = try runtime.templar.render(include.name, scope: scope, origin: task.location)
            let parser = PlaybookParser(
                modules: runtime.moduleNames, roleSearchPaths: runtime.roleSearchPaths,
                baseDirectory: runtime.play.baseDirectory)
            var params = OrderedDictionary<String, Value>()
            for (k, v) in task.arguments where !IncludeRunner.roleKeys.contains(k) {
                params[k] = try runtime.templar.renderDeep(v, scope: scope)
            }
            let files = RoleFiles(
                name: name, tasksFrom: include.tasksFrom, varsFrom: include.varsFrom,
                defaultsFrom: include.defaultsFrom,
                handlersFrom: include.handlersFrom, validate: include.validate)
            var keywords = task.keywords
            keywords.when = []
            let reference = try ParserStack.run {
                try parser.loadRole(
                    name: name, keywords: keywords, params: params, from: files, at: task.location,
                    parent: frame.role)
            }
            // As ansible-playbook: "included: <role name> for <hosts>", counted as ok.
            runtime.sink.emit(.included(file: name, hosts: active))
            for host in active { runtime.state.count(host) { $0.ok += 1 } }
            guard case .block(let block) = reference.compiledTasks() else { return }
            var inner = frame
            inner.includeDepth += 1
            await walker.run([.block(block)], hosts: active, frame: inner)
        } catch {
            let fields = TaskFailure.outcome(for: error, task: task).fields
            for host in active {
                runtime.sink.emit(
                    .hostResult(HostResult(host: host, status: .failed, fields: fields, module: task.action)))
                runtime.state.count(host) { $0.failed += 1 }
                walker.batch.fail(host, task: task, result: fields)
            }
        }
    }

    static let roleKeys: Set<String> = [
        "name", "tasks_from", "vars_from", "defaults_from", "handlers_from", "public",
        "allow_duplicates", "apply",
        "rolespec_validate",
    ]
}
