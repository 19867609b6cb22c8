import Collections
import OrderedCollections

/// `include_tasks` and `include_role` at run time: each host evaluates the include's `when` and
/// file name; hosts that chose the same file run its tasks together, after an `included` event.
struct IncludeRunner {
    let walker: TaskListWalker
    var runtime: PlayRuntime { walker.runtime }

    func includeTasks(_ include: IncludeTasks, hosts: [String], frame: TaskFrame) async {
        let task = include.task
        guard runtime.options.tags.shouldRun(frame.tags(task)) else { return }
        var byFile: OrderedDictionary<String, [String]> = [:]
        var params: [String: OrderedDictionary<String, Value>] = [:]
        var failures: [HostTaskOutcome] = []
        for host in walker.batch.active(hosts) {
            let scope = runtime.scope(host, frame.forHost(host), task)
            do {
                guard
                    try frame.conditions(task).allSatisfy({
                        try runtime.templar.condition($0.text, scope: scope, origin: $0.location)
                    })
                else { continue }
                let name = try runtime.templar.render(include.file, scope: scope, origin: task.location)
                byFile[name, default: []].append(host)
                var p = OrderedDictionary<String, Value>()
                for (k, v) in task.arguments where !["file", "_raw_params", "apply"].contains(k) {
                    p[k] = try runtime.templar.renderDeep(v, scope: scope, origin: task.location)
                }
                params[host] = p
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
        for (name, fileHosts) in byFile {
            let items: [TaskItem]
            let path: String
            do {
                (path, items) = try load(name, from: task, frame: frame)
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
            runtime.sink.emit(.included(file: path, hosts: fileHosts))
            for host in fileHosts { runtime.state.count(host) { $0.ok += 1 } }
            var applied = include.apply
            applied.removeValue(forKey: "block")
            var inner = frame
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

    /// Reads the task file `name` as the include names it (relative to the role or the including file).
    private func load(_ name: String, from task: PlaybookTask, frame: TaskFrame) throws -> (
        String, [TaskItem]
    ) {
        let parser = PlaybookParser(
            modules: runtime.moduleNames, roleSearchPaths: runtime.roleSearchPaths,
            baseDirectory: runtime.play.baseDirectory)
        let ctx = FileContext(file: task.location.file, role: frame.role)
        guard let path = parser.taskFileCandidates(name, ctx).first(where: Paths.isFile) else {
            throw InputError("Could not find or access '\(name)'", at: task.location)
        }
        let doc = try parser.document(path, from: task.location)
        let items = try parser.taskList(
            doc, FileContext(file: path, role: frame.role), owner: doc?.location ?? task.location)
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
        do {
            let scope = runtime.scope(first, frame.forHost(first), task)
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
                handlersFrom: include.handlersFrom)
            var keywords = task.keywords
            keywords.when = []
            let reference = try parser.loadRole(
                name: name, keywords: keywords, params: params, from: files, at: task.location,
                parent: frame.role)
            runtime.sink.emit(.included(file: reference.role.path, hosts: active))
            guard case .block(let block) = reference.compiledTasks() else { return }
            await walker.run([.block(block)], hosts: active, frame: frame)
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
