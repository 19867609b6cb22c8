import CapstanBasics
import Collections
import Foundation

/// `--output json`: one JSON object per line per event, for machines.
public final class JSONLinesOutput: OutputSink, @unchecked Sendable {
    private let out: OutputStream
    private let lock = NSLock()

    public init(out: OutputStream = .standardOutput) { self.out = out }

    public func emit(_ event: RunEvent) {
        let line = Value.dict(Self.object(for: event)).json()
        lock.lock()
        out.write(line + "\n")
        lock.unlock()
    }

    /// The JSON object written for an event; `event` names its kind.
    public static func object(for event: RunEvent) -> OrderedDictionary<String, Value> {
        switch event {
        case .runStarted(let name, let hosts):
            return ["event": "run_start", "name": .string(name), "hosts": .list(hosts.map(Value.string))]
        case .playStarted(let play):
            return [
                "event": "play_start", "name": .string(play.name), "hosts": .list(play.hosts.map(Value.string)),
                "check_mode": .bool(play.checkMode),
            ]
        case .taskStarted(let task):
            var object: OrderedDictionary<String, Value> = [
                "event": "task_start", "name": .string(task.name), "index": .int(task.index),
                "action": .string(task.action), "handler": .bool(task.isHandler), "loop": .bool(task.loops),
            ]
            if let location = task.location { object["location"] = .string(location) }
            if task.fallback { object["fallback"] = true }
            return object
        case .hostResult(let r):
            let ms = Double(r.duration.components.seconds) * 1000 + Double(r.duration.components.attoseconds) / 1e15
            var object: OrderedDictionary<String, Value> = [
                "event": "host_result", "host": .string(r.host), "status": .string(r.status.rawValue),
                "module": .string(r.module), "duration_ms": .float((ms * 1000).rounded() / 1000),
            ]
            if let item = r.itemLabel { object["item"] = .string(item) }
            if let delegate = r.delegatedTo { object["delegated_to"] = .string(delegate) }
            if r.ignored { object["ignored"] = true }
            object["result"] = .dict(r.fields)
            return object
        case .included(let file, let hosts, let item):
            var object: OrderedDictionary<String, Value> = [
                "event": "included", "file": .string(file), "hosts": .list(hosts.map(Value.string)),
            ]
            if let item { object["item"] = .string(item) }
            return object
        case .warning(let message):
            return ["event": "warning", "message": .string(message)]
        case .noHosts(let message):
            return ["event": "no_hosts", "message": .string(message)]
        case .recap(let rows):
            var stats = OrderedDictionary<String, Value>()
            for row in rows {
                let s = row.stats
                stats[row.host] = [
                    "ok": .int(s.ok), "changed": .int(s.changed), "unreachable": .int(s.unreachable),
                    "failed": .int(s.failed), "skipped": .int(s.skipped), "rescued": .int(s.rescued),
                    "ignored": .int(s.ignored),
                ]
            }
            return ["event": "recap", "hosts": .dict(stats)]
        }
    }
}
