import CapstanBasics
import Collections
import Foundation

/// One line of `capstan experiments status`.
public struct ExperimentStatusRow: Sendable, Hashable {
    public var id: String
    /// The parameters that tell this experiment from the others, `key=value` separated by spaces.
    public var params: String
    /// Pending, Running, Succeeded, Failed, … or NotFound when nothing of that name exists.
    public var phase: String
    /// From start to completion (or to now while it runs), `1h2m3s`; `-` before it starts.
    public var duration: String
    /// The nodes its pods ran on.
    public var node: String
}

/// Reads kubectl's JSON (`get … -o json`) for a set's objects and pods into status rows.
public enum ExperimentStatusReader {
    /// The phase of an experiment of which nothing was found.
    public static let notFound = "NotFound"

    /// Rows for `experiments` from the list of their objects (Jobs, PyTorchJobs or TFJobs) and the
    /// list of their pods.
    public static func rows(_ experiments: [Experiment], objects: Value, pods: Value, now: Date)
        -> [ExperimentStatusRow]
    {
        let params = paramsText(experiments)
        let byID = index(objects)
        let podsByID = index(pods)
        return experiments.map { experiment in
            guard let object = byID[experiment.id]?.first else {
                return ExperimentStatusRow(
                    id: experiment.id, params: params[experiment.id] ?? "", phase: notFound, duration: "-", node: "-")
            }
            let status = object["status"] ?? .null
            let experimentPods = podsByID[experiment.id] ?? []
            let end = date(status["completionTime"]) ?? (isFinished(status) ? lastTransition(status) : nil)
            return ExperimentStatusRow(
                id: experiment.id, params: params[experiment.id] ?? "", phase: phase(object, pods: experimentPods),
                duration: duration(from: date(status["startTime"]), to: end ?? now),
                node: nodes(experimentPods.map { $0["spec"]?["nodeName"]?.stringValue })
            )
        }
    }

    /// Rows from an Argo Workflow's `status.nodes`: each `train` pod with its `id` parameter.
    public static func workflowRows(_ experiments: [Experiment], workflow: Value, now: Date) -> [ExperimentStatusRow] {
        let params = paramsText(experiments)
        var byID: [String: Value] = [:]
        let nodes = workflow["status"]?["nodes"]?.dictValue.map { Array($0.values) } ?? []
        for node in nodes where node["type"] == "Pod" {
            let inputs = node["inputs"]?["parameters"]?.listValue ?? []
            if let id = inputs.first(where: { $0["name"] == "id" })?["value"]?.stringValue { byID[id] = node }
        }
        return experiments.map { experiment in
            let node = byID[experiment.id]
            return ExperimentStatusRow(
                id: experiment.id, params: params[experiment.id] ?? "",
                phase: node?["phase"]?.stringValue ?? notFound,
                duration: node.map { duration(from: date($0["startedAt"]), to: date($0["finishedAt"]) ?? now) } ?? "-",
                node: node?["hostNodeName"]?.stringValue ?? "-")
        }
    }

    /// The table: a header and one line per row, columns padded to their widest cell.
    public static func table(_ rows: [ExperimentStatusRow]) -> String {
        let header = ["ID", "PARAMS", "PHASE", "DURATION", "NODE"]
        let cells = [header] + rows.map { [$0.id, $0.params, $0.phase, $0.duration, $0.node] }
        let widths = (0..<header.count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { line in
            zip(line, widths).enumerated().map { i, pair in
                i == line.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// For each experiment, its values of the parameters that differ between the experiments.
    public static func paramsText(_ experiments: [Experiment]) -> [String: String] {
        var keys: [String] = []
        for experiment in experiments {
            for key in experiment.params.keys where !keys.contains(key) {
                if Set(experiments.map { $0.params[key] ?? .null }).count > 1 { keys.append(key) }
            }
        }
        return Dictionary(
            experiments.map { e in
                (
                    e.id,
                    keys.compactMap { k in e.params[k].map { "\(k)=\(ExperimentExpander.idText($0))" } }.joined(
                        separator: " ")
                )
            }, uniquingKeysWith: { first, _ in first })
    }

    private static func index(_ list: Value) -> [String: [Value]] {
        var result: [String: [Value]] = [:]
        for item in list["items"]?.listValue ?? [] {
            guard let id = item["metadata"]?["labels"]?[ExperimentContext.idLabel]?.stringValue else { continue }
            result[id, default: []].append(item)
        }
        return result
    }

    static func phase(_ object: Value, pods: [Value]) -> String {
        let status = object["status"] ?? .null
        let conditions = (status["conditions"]?.listValue ?? []).filter { $0["status"] == "True" }
        if object["kind"] == "Job" {
            if conditions.contains(where: { $0["type"] == "Complete" }) { return "Succeeded" }
            if conditions.contains(where: { $0["type"] == "Failed" }) { return "Failed" }
            if conditions.contains(where: { $0["type"] == "Suspended" }) { return "Suspended" }
            if pods.contains(where: { $0["status"]?["phase"] == "Running" }) { return "Running" }
            return "Pending"
        }
        return conditions.last?["type"]?.stringValue ?? "Pending"
    }

    private static func isFinished(_ status: Value) -> Bool {
        (status["conditions"]?.listValue ?? []).contains {
            $0["status"] == "True" && ["Complete", "Failed", "Succeeded"].contains($0["type"]?.stringValue ?? "")
        }
    }

    private static func lastTransition(_ status: Value) -> Date? {
        (status["conditions"]?.listValue ?? []).compactMap { date($0["lastTransitionTime"]) }.max()
    }

    static func date(_ value: Value?) -> Date? {
        guard let text = value?.stringValue else { return nil }
        return ISO8601DateFormatter().date(from: text)
    }

    /// `1h2m3s`, `4m0s`, `12s`; `-` without a start.
    static func duration(from start: Date?, to end: Date) -> String {
        guard let start else { return "-" }
        let total = max(0, Int(end.timeIntervalSince(start)))
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        if h > 0 { return "\(h)h\(m)m\(s)s" }
        return m > 0 ? "\(m)m\(s)s" : "\(s)s"
    }

    private static func nodes(_ names: [String?]) -> String {
        var seen: [String] = []
        for case let name? in names where !seen.contains(name) { seen.append(name) }
        return seen.isEmpty ? "-" : seen.joined(separator: ",")
    }
}
