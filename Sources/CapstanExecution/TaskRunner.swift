import CapstanBasics
import CapstanModules
import CapstanPlaybook
import CapstanResults
import CapstanTemplating
import Collections
import OrderedCollections

/// How one task ended on one host, after loops, conditions and `ignore_errors`.
struct HostTaskOutcome: Sendable {
    /// The host.
    var host: String
    /// The aggregated status (a loop's items combined as Ansible does).
    var status: TaskStatus
    /// The registered result.
    var fields: OrderedDictionary<String, Value>
    /// A failure turned into `...ignoring`.
    var ignored = false
    /// `meta:` requests the task made.
    var meta: [MetaRequest] = []
    /// The host the task ran on when delegated.
    var delegatedTo: String?
}

/// Runs one task on one host: `when`, loop items, delegation, templated arguments, the controller
/// action or module, retries, deadline, `changed_when`/`failed_when`, `register`, `no_log`, and the
/// events for each result.
struct TaskRunner {
    let runtime: PlayRuntime
    let frame: TaskFrame
    let task: PlaybookTask

    var templar: Templar { runtime.templar }

    /// Runs the task for `host` and reports the results to the sink.
    func run(on host: String) async -> HostTaskOutcome {
        let start = ContinuousClock.now
        let scope = RunTrace.measure("\(host) scope") { runtime.scope(host, frame, task) }
        let noLog =
            (try? Keyword.bool(frame.keyword(task, \.noLog), templar: templar, scope: scope)) ?? false
        var outcome: HostTaskOutcome
        do {
            if let loop = task.loop, let items = try loopItems(loop, host: host, scope: scope) {
                outcome = try await runLoop(items, host: host, scope: scope, noLog: noLog)
            } else {
                let (result, meta, delegate) = try await runGuarded(host: host, scope: scope)
                outcome = HostTaskOutcome(host: host, status: result.status, fields: result.fields, meta: meta)
                outcome.delegatedTo = delegate
            }
        } catch {
            let failure = TaskFailure.outcome(for: error, task: task)
            outcome = HostTaskOutcome(host: host, status: .failed, fields: failure.fields)
        }
        if let register = task.register {
            let value = task.loop == nil ? Self.registered(outcome.fields, status: outcome.status) : outcome.fields
            runtime.state.setVariables([register: .dict(value)], for: host)
        }
        if outcome.status == .failed,
            (try? Keyword.bool(frame.keyword(task, \.ignoreErrors), templar: templar, scope: scope))
                ?? false
        {
            outcome.ignored = true
        }
        if outcome.status == .unreachable,
            (try? Keyword.bool(frame.keyword(task, \.ignoreUnreachable), templar: templar, scope: scope))
                ?? false
        {
            outcome.ignored = true
        }
        // A loop's items have their own lines; Ansible adds one for the whole loop when it failed or
        // every item (or the empty list) was skipped.
        // Ansible prints no result for a meta task that did not fail.
        // An interrupted run shows no result for the commands it killed.
        let quiet = (task.action == "meta" && outcome.status != .failed) || Task.isCancelled
        if !quiet && (task.loop == nil || outcome.status == .failed || outcome.status == .skipped) {
            RunTrace.measure("\(host) emit") {
                emit(outcome, item: nil, noLog: noLog, duration: ContinuousClock.now - start)
            }
        }
        RunTrace.log("\(host) task done \(RunTrace.milliseconds(ContinuousClock.now - start))ms")
        return outcome
    }

    /// `when` then one run, without a loop.
    private func runGuarded(host: String, scope: LayeredScope) async throws
        -> (ModuleOutcome, [MetaRequest], String?)
    {
        for condition in frame.conditions(task) {
            guard try templar.condition(condition.text, scope: scope, origin: condition.location) else {
                return (
                    ModuleOutcome(
                        status: .skipped,
                        fields: [
                            "false_condition": .string(condition.text),
                            "skip_reason": "Conditional result was False",
                        ]),
                    [], nil
                )
            }
        }
        return try await TaskInvocation(runtime: runtime, frame: frame, task: task).run(
            host: host, scope: scope)
    }

    /// The loop's items, or nil when they name an undefined variable and the task's `when` is false
    /// without them: Ansible then skips the task as a whole (its `TaskExecutor` keeps the loop's
    /// undefined-variable error until the conditional has had its say, and raises it otherwise, also
    /// when the conditional itself fails).
    private func loopItems(_ loop: Loop, host: String, scope: LayeredScope) throws -> [Value]? {
        do {
            return try LoopExpander(templar: templar).items(loop, scope: scope, action: task.actionAsWritten)
        } catch let loopError as TemplateError where loopError.isUndefined {
            for condition in frame.conditions(task) {
                let holds = try? templar.condition(condition.text, scope: scope, origin: condition.location)
                guard let holds else { throw loopError }
                if !holds { return nil }
            }
            throw loopError
        }
    }

    /// Each item in turn: its own `when`, its own result event, then the aggregate Ansible registers.
    private func runLoop(_ items: [Value], host: String, scope: LayeredScope, noLog: Bool) async throws
        -> HostTaskOutcome
    {
        if items.isEmpty {
            return HostTaskOutcome(
                host: host, status: .skipped,
                fields: ["changed": false, "skipped": true, "skipped_reason": "No items in the list", "results": []])
        }
        let control = task.loopControl
        let loopVar = control?.loopVar ?? "item"
        let extended = try Keyword.bool(control?.extended, templar: templar, scope: scope) ?? false
        let pause = try Keyword.double(control?.pause, templar: templar, scope: scope) ?? 0
        var results: [Value] = []
        var meta: [MetaRequest] = []
        var anyChanged = false
        var anyFailed = false
        var allSkipped = true
        for (index, item) in items.enumerated() {
            if index > 0, pause > 0 { try? await Task.sleep(for: .milliseconds(Int(pause * 1000))) }
            var layer: OrderedDictionary<String, Value> = [
                loopVar: item, "ansible_loop_var": .string(loopVar),
            ]
            if let indexVar = control?.indexVar { layer[indexVar] = .int(index) }
            if extended { layer["ansible_loop"] = Self.loopInfo(items, index) }
            // A fresh scope per item: set_fact and include_vars of earlier items are visible.
            let itemScope = (index == 0 ? scope : runtime.scope(host, frame, task)).adding(layer)
            let itemStart = ContinuousClock.now
            var (result, requests, delegate) = try await runGuarded(host: host, scope: itemScope)
            meta += requests
            result.fields[loopVar] = item
            result.fields["ansible_loop_var"] = .string(loopVar)
            if let indexVar = control?.indexVar { result.fields[indexVar] = .int(index) }
            anyChanged = anyChanged || result.status == .changed
            anyFailed = anyFailed || result.status == .failed
            allSkipped = allSkipped && result.status == .skipped
            results.append(.dict(Self.registered(result.fields, status: result.status)))
            var label = item.pythonString
            if let template = control?.label {
                label =
                    (try? templar.render(template, scope: itemScope, origin: control?.location)) ?? label
            }
            emitItem(
                host: host, result: result, label: label, noLog: noLog, delegate: delegate,
                duration: ContinuousClock.now - itemStart)
            if result.status == .unreachable {
                return HostTaskOutcome(host: host, status: .unreachable, fields: result.fields)
            }
        }
        var fields: OrderedDictionary<String, Value> = [
            "results": .list(results), "changed": .bool(anyChanged),
        ]
        let status: TaskStatus
        if anyFailed {
            status = .failed
            fields["failed"] = true
            fields["msg"] = "One or more items failed"
        } else if allSkipped {
            status = .skipped
            fields["skipped"] = true
            fields["msg"] = "All items skipped"
        } else {
            status = anyChanged ? .changed : .ok
            fields["msg"] = "All items completed"
        }
        return HostTaskOutcome(host: host, status: status, fields: fields, meta: meta)
    }

    /// `ansible_loop` with `loop_control.extended`.
    static func loopInfo(_ items: [Value], _ i: Int) -> Value {
        let n = items.count
        return [
            "allitems": .list(items), "index": .int(i + 1), "index0": .int(i), "revindex": .int(n - i),
            "revindex0": .int(n - i - 1), "first": .bool(i == 0), "last": .bool(i == n - 1),
            "length": .int(n),
            "previtem": i > 0 ? items[i - 1] : .null, "nextitem": i < n - 1 ? items[i + 1] : .null,
        ]
    }

    private func emitItem(
        host: String, result: ModuleOutcome, label: String, noLog: Bool, delegate: String?, duration: Duration
    ) {
        var event = HostResult(
            host: host, status: result.status,
            fields: noLog ? NoLogRedactor.redact(result.fields) : result.fields,
            duration: duration, module: task.action)
        event.itemLabel = noLog ? "None" : label
        event.delegatedTo = delegate
        event.notRunInCheckMode = HostResult.notRunInCheckMode(result.status, result.fields)
        runtime.sink.emit(.hostResult(event))
    }

    private func emit(_ outcome: HostTaskOutcome, item: String?, noLog: Bool, duration: Duration) {
        var event = HostResult(
            host: outcome.host, status: outcome.status,
            fields: noLog ? NoLogRedactor.redact(outcome.fields) : outcome.fields, duration: duration,
            module: task.action)
        event.ignored = outcome.ignored
        event.delegatedTo = outcome.delegatedTo
        event.itemLabel = item
        event.notRunInCheckMode = HostResult.notRunInCheckMode(outcome.status, outcome.fields)
        runtime.sink.emit(.hostResult(event))
    }
}

extension TaskRunner {
    /// A result as `register` keeps it: as in Ansible, a task (or loop item) that ran and did not
    /// fail says `failed: false`, so `result.failed` is defined; skipped ones and a loop's summary
    /// do not. Output shows the result without it, as Ansible's callback does.
    static func registered(_ fields: OrderedDictionary<String, Value>, status: TaskStatus)
        -> OrderedDictionary<String, Value>
    {
        guard status == .ok || status == .changed, fields["failed"] == nil else { return fields }
        var out = fields
        out["failed"] = false
        return out
    }
}
