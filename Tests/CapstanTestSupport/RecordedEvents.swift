import CapstanBasics
import CapstanResults
import Collections
import Foundation

@testable import CapstanOutput

/// Reads the run events that Tests/oracles/callback_plugins/capstan_events.py recorded from
/// ansible-playbook (the JSON-lines shape of `JSONLinesOutput`) back into `RunEvent`s.
package enum RecordedEvents {
    /// The fixture playbooks that have a recording, by name.
    package static func names() -> [String] {
        let dir = Fixtures.url("output/expected")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".events.jsonl") }.map { String($0.dropLast(".events.jsonl".count)) }
            .sorted()
    }

    /// The events recorded for playbook `name`.
    package static func load(_ name: String) throws -> [RunEvent] {
        let text = try Fixtures.text("output/expected/\(name).events.jsonl")
        return try text.split(separator: "\n").map { try event(from: Value(jsonText: String($0))) }
    }

    struct BadEvent: Error, CustomStringConvertible {
        let description: String
    }

    package static func event(from value: Value) throws -> RunEvent {
        guard let o = value.dictValue, let kind = o["event"]?.stringValue else {
            throw BadEvent(description: "\(value)")
        }
        let strings = { (key: String) in (o[key]?.listValue ?? []).compactMap(\.stringValue) }
        switch kind {
        case "play_start":
            return .playStarted(
                PlayInfo(
                    name: o["name"]?.stringValue ?? "", hosts: strings("hosts"), checkMode: o["check_mode"] == true))
        case "task_start":
            guard case .int(let index)? = o["index"] else { throw BadEvent(description: "task index in \(value)") }
            return .taskStarted(
                TaskInfo(
                    name: o["name"]?.stringValue ?? "", index: index, action: o["action"]?.stringValue ?? "",
                    location: o["location"]?.stringValue, isHandler: o["handler"] == true, loops: o["loop"] == true))
        case "host_result":
            guard let host = o["host"]?.stringValue, let status = o["status"]?.stringValue.flatMap(TaskStatus.init),
                let fields = o["result"]?.dictValue
            else { throw BadEvent(description: "host result \(value)") }
            var result = HostResult(host: host, status: status, fields: fields, module: o["module"]?.stringValue ?? "")
            result.itemLabel = o["item"]?.stringValue
            result.delegatedTo = o["delegated_to"]?.stringValue
            result.ignored = o["ignored"] == true
            return .hostResult(result)
        case "included":
            return .included(file: o["file"]?.stringValue ?? "", hosts: strings("hosts"), item: o["item"]?.stringValue)
        case "no_hosts":
            return .noHosts(message: o["message"]?.stringValue ?? "")
        case "warning":
            return .warning(o["message"]?.stringValue ?? "")
        case "recap":
            let rows = (o["hosts"]?.dictValue ?? [:]).map { host, counts in
                var s = HostStats()
                let n = { (k: String) -> Int in if case .int(let i)? = counts[k] { return i } else { return 0 } }
                (s.ok, s.changed, s.unreachable, s.failed) = (n("ok"), n("changed"), n("unreachable"), n("failed"))
                (s.skipped, s.rescued, s.ignored) = (n("skipped"), n("rescued"), n("ignored"))
                return (host: host, stats: s)
            }
            return .recap(rows)
        default:
            throw BadEvent(description: "unknown event \(kind)")
        }
    }
}

/// Collects what a sink writes, through a temporary file (sinks write to file descriptors).
package enum CapturedOutput {
    package static func text(_ body: (CapstanOutput.OutputStream) throws -> Void) throws -> String {
        let path = TestScratch.directory + "/capstan-output-\(UUID().uuidString)"
        let fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        defer {
            close(fd)
            unlink(path)
        }
        try body(CapstanOutput.OutputStream(fd: fd))
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
