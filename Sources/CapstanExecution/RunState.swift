import CapstanBasics
import CapstanResults
import Collections
import Foundation
import OrderedCollections

/// What a playbook run remembers across tasks and plays, shared by every host's work: facts,
/// set_facts and registered results, include_vars, recap counters, and the hosts that dropped out.
/// Every access goes through the lock, since hosts run in parallel.
final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var facts: [String: OrderedDictionary<String, Value>] = [:]
    private var setFacts: [String: OrderedDictionary<String, Value>] = [:]
    private var includedVars: [String: OrderedDictionary<String, Value>] = [:]
    private var stats: [String: HostStats] = [:]
    private(set) var statsOrder: [String] = []
    private var failedHosts: Set<String> = []
    private var version = 0
    private var tasksStarted = 0

    /// Changes whenever any host's facts or variables change; caches of derived views key on it.
    var variablesVersion: Int { lock.withLock { version } }
    private var unreachableHosts: Set<String> = []

    /// Gathered facts of a host (`ansible_facts`, names without the `ansible_` prefix).
    func facts(of host: String) -> OrderedDictionary<String, Value> {
        lock.withLock { facts[host] ?? [:] }
    }
    /// set_fact values and registered results of a host.
    func setFacts(of host: String) -> OrderedDictionary<String, Value> {
        lock.withLock { setFacts[host] ?? [:] }
    }
    /// include_vars values of a host.
    func includedVars(of host: String) -> OrderedDictionary<String, Value> {
        lock.withLock { includedVars[host] ?? [:] }
    }

    /// Merges gathered facts (or `delegate_facts`) into a host's facts.
    func addFacts(_ new: OrderedDictionary<String, Value>, to host: String) {
        lock.withLock {
            facts[host, default: [:]].merge(new) { $1 }
            version += 1
        }
    }
    /// Sets set_fact/registered variables of a host.
    func setVariables(_ new: OrderedDictionary<String, Value>, for host: String) {
        lock.withLock {
            setFacts[host, default: [:]].merge(new) { $1 }
            version += 1
        }
    }
    /// Sets include_vars variables of a host.
    func includeVariables(_ new: OrderedDictionary<String, Value>, for host: String) {
        lock.withLock {
            includedVars[host, default: [:]].merge(new) { $1 }
            version += 1
        }
    }
    /// `meta: clear_facts`.
    func clearFacts(of host: String) {
        lock.withLock {
            facts[host] = nil
            setFacts[host] = nil
            version += 1
        }
    }

    /// The next task's number, counted from 1 over the whole run (every play), for `TaskInfo.index`.
    func nextTaskIndex() -> Int {
        lock.withLock {
            tasksStarted += 1
            return tasksStarted
        }
    }

    /// Adds to a host's recap counters.
    func count(_ host: String, _ change: (inout HostStats) -> Void) {
        lock.withLock {
            if stats[host] == nil {
                stats[host] = HostStats()
                statsOrder.append(host)
            }
            change(&stats[host]!)
        }
    }

    /// Recap rows for `hosts` (inventory order), hosts never counted shown with zeros.
    func recap(order hosts: [String]) -> [(host: String, stats: HostStats)] {
        lock.withLock {
            let known = hosts.filter { stats[$0] != nil } + statsOrder.filter { !hosts.contains($0) }
            return known.map { ($0, stats[$0]!) }
        }
    }

    /// Marks a host failed for the rest of the run.
    func markFailed(_ host: String) { lock.withLock { _ = failedHosts.insert(host) } }
    /// Marks a host unreachable for the rest of the run.
    func markUnreachable(_ host: String) { lock.withLock { _ = unreachableHosts.insert(host) } }
    /// `meta: clear_host_errors`.
    func clearErrors(of host: String) {
        lock.withLock {
            failedHosts.remove(host)
            unreachableHosts.remove(host)
            failingHosts.remove(host)
        }
    }
    /// The hosts a task failed on in the current play that no rescue or `clear_host_errors` took
    /// back: with the dropped ones, what `ansible_play_hosts` and `ansible_play_batch` leave out
    /// (ansible-core's `play._removed_hosts`), from the failing task on rather than the batch's end.
    private var failingHosts: Set<String> = []
    func noteFailing(_ host: String) {
        lock.withLock {
            failingHosts.insert(host)
            version += 1
        }
    }
    func noteRecovered(_ hosts: [String]) {
        lock.withLock {
            for h in hosts { failingHosts.remove(h) }
            version += 1
        }
    }
    /// The hosts the play's host-list variables leave out: failing now, or dropped earlier.
    var hostsOutOfPlay: Set<String> {
        lock.withLock { failingHosts.union(failedHosts).union(unreachableHosts) }
    }
    /// Whether the host has dropped out (failed or unreachable).
    func isDropped(_ host: String) -> Bool {
        lock.withLock { failedHosts.contains(host) || unreachableHosts.contains(host) }
    }
    /// Whether any host failed / was unreachable, for the exit code.
    var outcome: (anyFailed: Bool, anyUnreachable: Bool) {
        lock.withLock {
            (stats.values.contains { $0.failed > 0 }, stats.values.contains { $0.unreachable > 0 })
        }
    }
}
