import CapstanBasics
import CapstanPlaybook
import Collections
import Foundation
import OrderedCollections

/// The state of one batch of a play: which hosts failed, ended or were rescued, and whether the
/// batch was stopped (`end_play`), or the whole run (`any_errors_fatal`, `max_fail_percentage`).
final class BatchState: @unchecked Sendable {
    let hosts: [String]
    private let lock = NSLock()
    private var failed: Set<String> = []
    private var ended: Set<String> = []
    private var stopped = false
    private var playStopped = false
    private var runAborted = false
    private var failures: [String: (task: PlaybookTask, result: OrderedDictionary<String, Value>)] =
        [:]
    let state: RunState

    init(hosts: [String], state: RunState) {
        self.hosts = hosts
        self.state = state
    }

    /// `among` without the hosts that failed, ended or dropped out, in order; empty once stopped.
    func active(_ among: [String]) -> [String] {
        lock.withLock {
            stopped
                ? [] : among.filter { !failed.contains($0) && !ended.contains($0) && !state.isDropped($0) }
        }
    }

    /// Records a failed task on a host.
    func fail(_ host: String, task: PlaybookTask, result: OrderedDictionary<String, Value>) {
        lock.withLock {
            failed.insert(host)
            failures[host] = (task, result)
        }
        state.noteFailing(host)
    }

    /// The hosts among `hosts` that are marked failed.
    func failedHosts(among hosts: [String]) -> [String] {
        lock.withLock { hosts.filter(failed.contains) }
    }

    /// Un-fails hosts (rescue, `clear_host_errors`).
    func clearFailure(_ hosts: [String]) { lock.withLock { for h in hosts { failed.remove(h) } } }

    /// Un-fails hosts a rescue section takes back, for the play's host lists too.
    func recover(_ hosts: [String]) {
        clearFailure(hosts)
        state.noteRecovered(hosts)
    }

    /// Marks hosts failed again after an `always` section ran on them.
    func restoreFailure(_ hosts: [String]) { lock.withLock { for h in hosts { failed.insert(h) } } }

    /// The variables a rescue section sees: `ansible_failed_task` and `ansible_failed_result`.
    func rescueVariables(_ host: String) -> OrderedDictionary<String, Value> {
        lock.withLock {
            guard let f = failures[host] else { return [:] }
            let task: Value = [
                "name": .string(f.task.keywords.name ?? ""), "action": .string(f.task.action),
                "location": .string("\(f.task.location)"),
            ]
            return ["ansible_failed_task": task, "ansible_failed_result": .dict(f.result)]
        }
    }

    /// `meta: end_host`.
    func end(_ host: String) { lock.withLock { _ = ended.insert(host) } }
    /// Stops every host of the batch; unless `play` is false (`end_batch`), later batches too.
    func stop(play: Bool = true) {
        lock.withLock {
            stopped = true
            if play { playStopped = true }
        }
    }
    /// Stops the batch, the play and the run (`any_errors_fatal`, `max_fail_percentage` exceeded):
    /// later plays do not run either.
    func abortRun() {
        lock.withLock {
            (stopped, playStopped, runAborted) = (true, true, true)
        }
    }
    /// Whether later batches must not run.
    var stopsPlay: Bool { lock.withLock { playStopped } }
    /// Whether later plays must not run.
    var abortsRun: Bool { lock.withLock { runAborted } }
    /// Whether the batch was stopped.
    var isStopped: Bool { lock.withLock { stopped } }
    /// Hosts of the batch that failed (for the failure percentage and the run's drop list).
    var failedCount: Int { lock.withLock { failed.count } }
    /// Every failed host.
    var allFailed: Set<String> { lock.withLock { failed } }
}
