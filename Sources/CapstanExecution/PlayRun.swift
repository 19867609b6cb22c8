import CapstanBasics
import CapstanModules
import CapstanPlaybook
import CapstanResults
import CapstanTransport
import Collections
import OrderedCollections

/// One play: its hosts (pattern, `--limit`, minus hosts that dropped out earlier), `serial` batches,
/// facts, then pre_tasks, roles and tasks, post_tasks, each followed by a handler flush, under the
/// `linear` or `free` strategy.
struct PlayRun {
    let play: Play
    let runtime: PlayRuntime
    let facts: any FactSource

    /// Runs the play on `hosts` (already matched); true when the playbook must stop here, as
    /// ansible-playbook's does: `any_errors_fatal` or `max_fail_percentage` stopped it, or every host
    /// of a batch failed or became unreachable. Input problems in the play (vars_files, serial
    /// templates) are thrown.
    @discardableResult
    func run(hosts: [String]) async throws -> Bool {
        let templar = runtime.templar
        let first = hosts[0]
        let playScope = runtime.scope(first, nil, nil)
        let sizes = try play.serial.map { size -> SerialBatch in
            guard case .template(let t) = size else { return size }
            let v = try templar.renderValue(t, scope: playScope)
            if case .int(let i) = v { return .count(i) }
            let s = v.pythonString
            if s.hasSuffix("%"), let d = Double(s.dropLast()) { return .percent(d) }
            return .count(Int(s) ?? 0)
        }
        runtime.maxFailPercentage = try Keyword.double(
            play.maxFailPercentage, templar: templar, scope: playScope)
        runtime.forceHandlers =
            try Keyword.bool(play.forceHandlers, templar: templar, scope: playScope) ?? false
        let strategy = try templar.render(
            play.strategy ?? "linear", scope: playScope, origin: play.location)
        let gather = try Keyword.bool(play.gatherFacts, templar: templar, scope: playScope) ?? true
        for batchHosts in try SerialBatcher.batches(hosts, sizes: sizes) {
            runtime.play.batch = batchHosts
            let batch = BatchState(hosts: batchHosts, state: runtime.state)
            let frame = TaskFrame(keywords: [play.keywords])
            let handlers = HandlerQueue(items: play.compiledHandlers(), frame: frame)
            if gather { await gatherFacts(batch) }
            let linear = strategy != "free"
            let sections = [play.preTasks, play.compiledTasks(), play.postTasks]
            if linear {
                let walker = TaskListWalker(
                    runtime: runtime, batch: batch, handlers: handlers, linear: true)
                for section in sections {
                    await walker.run(section, hosts: batchHosts, frame: frame)
                    await walker.flushHandlers(hosts: batchHosts)
                }
            } else {
                let runtime = self.runtime
                _ = await BoundedConcurrency.map(batchHosts, limit: runtime.options.forks) { host in
                    let walker = TaskListWalker(
                        runtime: runtime, batch: batch, handlers: handlers, linear: false)
                    for section in sections {
                        await walker.run(section, hosts: [host], frame: frame)
                        await walker.flushHandlers(hosts: [host])
                    }
                }
            }
            for host in batch.allFailed { runtime.state.markFailed(host) }
            if batch.abortsRun { return true }
            if batch.stopsPlay { break }
            // Ansible ends the playbook when every host of a batch has failed or become unreachable.
            if batchHosts.allSatisfy(runtime.state.isDropped) { return true }
        }
        return false
    }

    /// `gather_facts`: one fact command per host, in parallel up to `forks`, as the `Gathering Facts` task.
    private func gatherFacts(_ batch: BatchState) async {
        let hosts = batch.active(batch.hosts)
        guard !hosts.isEmpty else { return }
        var task = PlaybookTask(action: "gather_facts", location: play.location)
        task.keywords.name = "Gathering Facts"
        runtime.startTask(task, handler: false)
        let runtime = self.runtime
        let facts = self.facts
        let subset = play.gatherSubset
        let keyword = play.keywords.connection
        let results = await BoundedConcurrency.map(hosts, limit: runtime.options.forks) {
            host -> HostResult in
            let outcome: ModuleOutcome
            do {
                let scope = runtime.scope(host, nil, nil)
                let kind = try ConnectionChoice.kind(
                    variable: try scope.lookup("ansible_connection"), keyword: keyword, templar: runtime.templar,
                    scope: scope)
                let connection = runtime.connections.connection(for: host, kind: kind)
                try await connection.connect()
                let gathered = try await facts.gather(
                    on: connection, options: runtime.connections.commandOptions(for: host), subset: subset)
                runtime.state.addFacts(gathered, to: host)
                outcome = ModuleOutcome(status: .ok, fields: ["ansible_facts": .dict(gathered)])
            } catch let error as ConnectionError {
                outcome = FailureClassifier.outcome(for: error)
            } catch {
                outcome = .failed("\(error)")
            }
            var result = HostResult(
                host: host, status: outcome.status, fields: outcome.fields, module: "gather_facts")
            result.fields = outcome.fields
            runtime.sink.emit(.hostResult(result))
            return result
        }
        for r in results {
            runtime.state.count(r.host) { $0.record(r.status) }
            if r.status == .unreachable { runtime.state.markUnreachable(r.host) }
            if r.status == .failed { batch.fail(r.host, task: task, result: r.fields) }
        }
    }
}
