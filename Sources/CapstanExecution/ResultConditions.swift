import CapstanBasics
import CapstanModules
import CapstanPlaybook
import CapstanTemplating
import Collections
import OrderedCollections

/// `changed_when` and `failed_when`: re-judges a result with the registered result visible under
/// the task's `register` name (and its fields at top level, as Ansible exposes them).
struct ResultConditions {
    let templar: Templar

    /// Applies the task's conditions to `outcome` in `scope`.
    func apply(_ task: PlaybookTask, to outcome: ModuleOutcome, scope: LayeredScope) throws
        -> ModuleOutcome
    {
        guard !task.changedWhen.isEmpty || !task.failedWhen.isEmpty else { return outcome }
        guard outcome.status != .skipped, outcome.status != .unreachable else { return outcome }
        var layer = outcome.fields
        if let name = task.register { layer[name] = .dict(outcome.fields) }
        let resultScope = scope.adding(layer)
        var fields = outcome.fields
        var changed = outcome.status == .changed || outcome.fields["changed"] == true
        var failed = outcome.status == .failed
        if !task.changedWhen.isEmpty {
            changed = try task.changedWhen.allSatisfy {
                try templar.condition($0.text, scope: resultScope, origin: $0.location)
            }
        }
        if !task.failedWhen.isEmpty {
            failed = try task.failedWhen.allSatisfy {
                try templar.condition($0.text, scope: resultScope, origin: $0.location)
            }
            fields["failed_when_result"] = .bool(failed)
            if !failed { fields.removeValue(forKey: "msg") }
        }
        fields.removeValue(forKey: "failed")
        var result = ModuleOutcome(
            status: failed ? .failed : (changed ? .changed : .ok), fields: fields, changed: changed)
        if !failed { result.fields["failed"] = false }
        return result
    }
}

/// `until` / `retries` / `delay`: runs an attempt until the conditions hold or the retries run out;
/// the result gets `attempts`, and a last failing attempt gets `"retries": N` and fails.
struct RetryPolicy {
    let templar: Templar
    let conditions: [Condition]
    let retries: Int
    let delay: Double

    /// Ansible's defaults: 3 retries, 5 seconds apart, when `until` is set.
    init(task: PlaybookTask, templar: Templar, scope: VariableScope) throws {
        self.templar = templar
        conditions = task.until
        retries = try Keyword.int(task.retries, templar: templar, scope: scope) ?? 3
        delay = try Keyword.double(task.delay, templar: templar, scope: scope) ?? 5
    }

    /// Runs `attempt` once, or until the conditions hold (judged on each attempt's result).
    func run(
        scope: LayeredScope, register: String?, _ attempt: () async -> ModuleOutcome
    ) async throws -> ModuleOutcome {
        guard !conditions.isEmpty else { return await attempt() }
        let total = max(1, retries + 1)
        var outcome = await attempt()
        for n in 1...total {
            if n > 1 { outcome = await attempt() }
            outcome.fields["attempts"] = .int(n)
            if outcome.status == .unreachable { return outcome }
            var layer = outcome.fields
            if let register { layer[register] = .dict(outcome.fields) }
            let s = scope.adding(layer)
            let done = try conditions.allSatisfy {
                try templar.condition($0.text, scope: s, origin: $0.location)
            }
            if done { return outcome }
            if n < total, delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
        var failed = ModuleOutcome(status: .failed, fields: outcome.fields, changed: outcome.fields["changed"] == true)
        failed.fields["msg"] = outcome.fields["msg"] ?? "Task failed as maximum retries was reached"
        failed.fields["retries"] = .int(total)
        return failed
    }
}

/// `timeout:` on a task: the work runs against a deadline that every command it starts respects, and is
/// cancelled when the deadline passes (which kills its remote command); the task then fails with
/// Ansible's message.
enum TaskDeadline {
    /// Runs `work` with the deadline `seconds` from now, failing with Ansible's message once it passed
    /// (no deadline when nil or 0).
    static func run(
        seconds: Int?, _ work: @escaping @Sendable (ContinuousClock.Instant?) async -> ModuleOutcome
    ) async -> ModuleOutcome {
        guard let seconds, seconds > 0 else { return await work(nil) }
        let deadline = ContinuousClock.now + .seconds(seconds)
        let outcome = await withTaskGroup(of: ModuleOutcome?.self) { group in
            group.addTask { await work(deadline) }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            // The first to finish wins; the other is cancelled, and cancelled work ends promptly
            // because its commands are killed.
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        // Work that ended because the deadline killed its command failed of the deadline too.
        guard let outcome, ContinuousClock.now < deadline else {
            return .failed("The task execution exceeded the timeout of \(seconds) seconds.", ["timedout": true])
        }
        return outcome
    }
}

/// `no_log: true`: a result's fields are replaced before they reach any output, journal or log.
enum NoLogRedactor {
    /// Ansible's censored message.
    static let message =
        "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

    /// The fields shown for a hidden result: the message and `changed` only.
    static func redact(_ fields: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var hidden: OrderedDictionary<String, Value> = [
            "censored": .string(message), "changed": fields["changed"] ?? false,
        ]
        if fields["failed"] == true { hidden["failed"] = true }
        if fields["skipped"] == true { hidden["skipped"] = true }
        return hidden
    }
}
