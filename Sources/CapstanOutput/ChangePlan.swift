import CapstanResults
import Foundation

/// What a check-mode run (`--check --diff`) says it would change, per host: the tasks that report
/// `changed`, the commands that "would have run", their diffs, and what failed. `capstan cluster
/// plan` shows a run through this sink instead of task-by-task output.
public final class ChangePlan: OutputSink, @unchecked Sendable {
    /// One task (or loop item) that would change a host.
    public struct Change: Sendable, Equatable {
        /// The task's name as shown (`role : name`), with `(item=...)` for a loop item.
        public var task: String
        /// Why it counts: empty for `changed`, or `command would run`.
        public var note: String
        /// The `--diff` text, empty when the module gave none.
        public var diff: String
    }

    private let lock = NSLock()
    private var task: TaskInfo?
    private var order: [String] = []
    private var changesByHost: [String: [Change]] = [:]
    private var failuresByHost: [String: [String]] = [:]

    public init() {}

    /// The changes found for `host`, in run order.
    public func changes(of host: String) -> [Change] {
        lock.withLock { changesByHost[host] ?? [] }
    }

    /// Every host seen, in the recap's order (or first-seen order before the recap).
    public var hosts: [String] { lock.withLock { order } }

    public func emit(_ event: RunEvent) {
        lock.withLock {
            switch event {
            case .runStarted(_, let hosts): for h in hosts where !order.contains(h) { order.append(h) }
            case .taskStarted(let info): task = info
            case .hostResult(let result): record(result)
            case .recap(let stats): order = stats.map(\.host)
            default: break
            }
        }
    }

    private func record(_ result: HostResult) {
        guard let task else { return }
        if !order.contains(result.host) { order.append(result.host) }
        // A looping task's per-host result only sums up its items, which were recorded already.
        if task.loops && result.itemLabel == nil { return }
        let name = task.name + (result.itemLabel.map { " (item=\($0))" } ?? "")
        switch result.status {
        case .changed:
            let diff = result.fields["diff"].map { DiffText.render($0, style: TerminalStyle(enabled: false)) } ?? ""
            changesByHost[result.host, default: []].append(Change(task: name, note: "", diff: diff))
        case .skipped where result.notRunInCheckMode:
            changesByHost[result.host, default: []].append(Change(task: name, note: "command would run", diff: ""))
        case .failed where !result.ignored, .unreachable:
            let message = result.fields["msg"]?.stringValue ?? result.fields["stderr"]?.stringValue ?? ""
            failuresByHost[result.host, default: []].append(
                "\(name): \(result.status == .unreachable ? "unreachable: " : "")\(message)")
        default: break
        }
    }

    /// The plan as text: per host, what would change (with diffs when `diffs`), then failures.
    public func render(diffs: Bool = true) -> String {
        lock.withLock {
            var out = "PLAN (check mode: nothing was changed on any host)\n"
            var changing = 0
            for host in order {
                let changes = changesByHost[host] ?? []
                let failures = failuresByHost[host] ?? []
                if !changes.isEmpty { changing += 1 }
                out += "\n\(host): "
                out += changes.isEmpty ? "nothing to change\n" : "\(changes.count) to change\n"
                for change in changes {
                    out += "  ~ \(change.task)" + (change.note.isEmpty ? "" : " (\(change.note))") + "\n"
                    if diffs, !change.diff.isEmpty {
                        for line in change.diff.split(separator: "\n") { out += "      " + line + "\n" }
                    }
                }
                for failure in failures { out += "  ! \(failure)\n" }
            }
            out += "\n\(changing) of \(order.count) host\(order.count == 1 ? "" : "s") would change.\n"
            return out
        }
    }
}
