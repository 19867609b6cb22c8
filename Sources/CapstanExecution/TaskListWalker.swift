import CapstanBasics
import CapstanInventory
import CapstanPlaybook
import Collections
import Foundation
import OrderedCollections

/// Walks a task list over a set of hosts with the linear strategy's barrier: every host finishes a
/// task before any starts the next. The free strategy uses the same walker with one host at a time.
/// Blocks run `rescue` on the hosts that failed in `block`, and `always` on every host that entered.
struct TaskListWalker {
    let runtime: PlayRuntime
    let batch: BatchState
    let handlers: HandlerQueue
    /// Whether failures stop the whole batch (linear strategy only).
    let linear: Bool

    /// Runs `items` on `hosts` (those still active when each task starts).
    func run(_ items: [TaskItem], hosts: [String], frame: TaskFrame) async {
        for item in items {
            // An interrupted run starts nothing more.
            guard !Task.isCancelled, !batch.active(hosts).isEmpty else { return }
            switch item {
            case .task(let task):
                await runTask(task, hosts: hosts, frame: frame)
            case .block(let block):
                await runBlock(block, hosts: hosts, frame: frame)
            case .includeTasks(let include):
                await IncludeRunner(walker: self).includeTasks(include, hosts: hosts, frame: frame)
            case .includeRole(let include):
                await IncludeRunner(walker: self).includeRole(include, hosts: hosts, frame: frame)
            }
        }
    }

    private func runBlock(_ block: Block, hosts: [String], frame: TaskFrame) async {
        let inner = frame.entering(block)
        let entered = batch.active(hosts)
        let failedBefore = Set(batch.failedHosts(among: entered))
        var guarded = inner
        if !block.rescue.isEmpty { guarded.rescuable = true }
        await run(block.block, hosts: entered, frame: guarded)
        var failedInBlock = batch.failedHosts(among: entered).filter { !failedBefore.contains($0) }
        if !block.rescue.isEmpty && !failedInBlock.isEmpty {
            let rescuing = failedInBlock.filter { !runtime.state.isDropped($0) }
            batch.recover(rescuing)
            for host in rescuing {
                runtime.state.count(host) {
                    $0.failed -= 1
                    $0.rescued += 1
                }
            }
            var rescueFrame = inner
            rescueFrame.hostExtras = Dictionary(
                uniqueKeysWithValues: rescuing.map { ($0, batch.rescueVariables($0)) })
            await run(block.rescue, hosts: rescuing, frame: rescueFrame)
            failedInBlock = batch.failedHosts(among: entered).filter { !failedBefore.contains($0) }
        }
        if !block.always.isEmpty {
            batch.clearFailure(failedInBlock)
            await run(block.always, hosts: entered.filter { !runtime.state.isDropped($0) }, frame: inner)
            batch.restoreFailure(failedInBlock)
        }
    }

    /// One task on the active hosts: selection (tags, start-at-task), run_once, parallel run up to
    /// `forks`, then accounting (stats, failures, notifications, meta requests).
    func runTask(_ task: PlaybookTask, hosts: [String], frame: TaskFrame, handler: Bool = false) async {
        guard !Task.isCancelled else { return }
        if !handler {
            guard runtime.options.tags.shouldRun(frame.tags(task)) else { return }
            if runtime.waitingForStartTask {
                let wanted = runtime.options.startAtTask ?? ""
                let names = [task.keywords.name ?? "", task.displayName]
                guard names.contains(where: { $0 == wanted || fnmatch(wanted, $0, 0) == 0 }) else { return }
                runtime.waitingForStartTask = false
            }
        }
        let active = batch.active(hosts)
        guard let first = active.first else { return }
        runtime.startTask(task, handler: handler)
        // Ansible announces an explicit `meta: flush_handlers` twice (its play iterator returns the
        // task again once the hosts switch to their handlers).
        if task.action == "meta", task.arguments["_raw_params"] == "flush_handlers" {
            runtime.startTask(task, handler: handler)
        }
        let runOnce =
            (try? Keyword.bool(
                frame.keyword(task, \.runOnce), templar: runtime.templar,
                scope: runtime.scope(first, frame, task))) ?? false
        let targets = runOnce ? [first] : active
        let runtime = self.runtime
        let traceStart =
            RunTrace.enabled ? (ContinuousClock.now, RunTrace.remoteCallCount, RunTrace.cpuMilliseconds()) : nil
        var outcomes = await BoundedConcurrency.map(targets, limit: runtime.options.forks) { host in
            await TaskRunner(runtime: runtime, frame: frame.forHost(host), task: task).run(on: host)
        }
        if let (began, calls, cpu) = traceStart {
            let now = RunTrace.cpuMilliseconds()
            RunTrace.log(
                "task '\(task.displayName)' on \(targets.count) hosts: \(RunTrace.milliseconds(ContinuousClock.now - began))ms wall, \(RunTrace.remoteCallCount - calls) remote calls, cpu user \(Int(now.user - cpu.user))ms sys \(Int(now.system - cpu.system))ms"
            )
        }
        // Outcomes of an interrupted task are not counted: the run stops here.
        guard !Task.isCancelled else { return }
        if runOnce, let only = outcomes.first {
            // As in Ansible, the one result stands for every host of the batch: a failure fails them
            // all (a preflight's `run_once: true` + `fail` stops the whole play), and only the host
            // that ran it counts the result in the recap.
            if only.status == .failed, !only.ignored {
                for host in active.dropFirst() { batch.fail(host, task: task, result: only.fields) }
            }
            for host in active.dropFirst() {
                if let register = task.register {
                    let value = task.loop == nil ? TaskRunner.registered(only.fields, status: only.status) : only.fields
                    runtime.state.setVariables([register: .dict(value)], for: host)
                }
                if task.action == "set_fact", let facts = only.fields["ansible_facts"]?.dictValue {
                    runtime.state.setVariables(facts, for: host)
                }
            }
            outcomes = [only]
        }
        await account(outcomes, task: task, frame: frame, hosts: hosts)
    }

    private func account(
        _ outcomes: [HostTaskOutcome], task: PlaybookTask, frame: TaskFrame, hosts: [String]
    ) async {
        var anyFailed = false
        var flush = false
        for outcome in outcomes {
            let host = outcome.host
            runtime.state.count(host) { stats in
                // Ansible counts an ignored failure as ok as well as ignored, and a meta task not at all.
                if task.action == "meta" && outcome.status != .failed {
                    return
                } else if outcome.ignored {
                    stats.ignored += 1
                    stats.ok += 1
                } else {
                    stats.record(outcome.status)
                }
            }
            if outcome.status != .failed, outcome.status != .skipped {
                for addition in InventoryAddition.all(in: outcome.fields) {
                    runtime.variables.apply(addition, host: host)
                }
            }
            if outcome.status == .unreachable && !outcome.ignored {
                runtime.state.markUnreachable(host)
                handlers.drop(host)
            } else if outcome.status == .failed && !outcome.ignored {
                batch.fail(host, task: task, result: outcome.fields)
                anyFailed = true
            } else if outcome.status == .changed {
                let unknown = handlers.notify(task.notify + frame.notify, host: host)
                for name in unknown {
                    runtime.sink.emit(
                        .warning("The handler '\(name)' was notified but is not defined in this play."))
                }
            }
            for request in outcome.meta {
                switch request {
                case .flushHandlers: flush = true
                case .endPlay: batch.stop()
                case .endBatch: batch.stop(play: false)
                case .endHost: batch.end(host)
                case .clearFacts: runtime.state.clearFacts(of: host)
                case .clearHostErrors:
                    batch.clearFailure([host])
                    runtime.state.clearErrors(of: host)
                case .resetConnection: await runtime.connections.reset(host)
                case .refreshInventory, .noop: break
                }
            }
        }
        if anyFailed && linear && !frame.rescuable {
            let scope = runtime.scope(outcomes[0].host, frame, task)
            if (try? Keyword.bool(
                frame.keyword(task, \.anyErrorsFatal), templar: runtime.templar, scope: scope)) == true
            {
                batch.abortRun()
            }
            if let limit = runtime.maxFailPercentage, !batch.hosts.isEmpty,
                Double(batch.failedCount) * 100 / Double(batch.hosts.count) > limit
            {
                batch.abortRun()
            }
        }
        if flush { await flushHandlers(hosts: hosts) }
    }

    /// Runs the notified handlers on the hosts that notified them (still active, or every one of them
    /// with `force_handlers`), in definition order, until none is pending.
    func flushHandlers(hosts: [String]) async {
        let scope: Set<String>? = linear ? nil : Set(hosts)
        while true {
            let due = handlers.take(for: scope)
            guard !due.isEmpty else { return }
            for (entry, notified) in due {
                let targets =
                    runtime.forceHandlers ? notified.filter { !runtime.state.isDropped($0) } : notified
                let wasFailed = runtime.forceHandlers ? batch.failedHosts(among: targets) : []
                batch.clearFailure(wasFailed)
                await runTask(entry.task, hosts: targets, frame: entry.frame, handler: true)
                batch.restoreFailure(wasFailed)
            }
        }
    }
}
