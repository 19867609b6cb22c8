import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanCluster

/// `status` rows from kubectl's JSON for the kinds the lab test does not cover: training operator
/// jobs (phase from the last true condition) and an Argo Workflow's `train` pod nodes.
@Suite struct ExperimentStatusTests {
    let experiments = [
        Experiment(
            id: "a", name: "s-a", params: ["lr": 0.1, "image": "i"], location: .init(file: "f", line: 1, column: 1)),
        Experiment(
            id: "b", name: "s-b", params: ["lr": 0.2, "image": "i"], location: .init(file: "f", line: 1, column: 1)),
    ]
    let now = ISO8601DateFormatter().date(from: "2026-11-22T11:00:00Z")!

    @Test func trainingJobsTakeTheirLastTrueCondition() throws {
        let objects = try Value(
            jsonText: """
                {"items": [
                  {"kind": "PyTorchJob", "metadata": {"labels": {"capstan.dev/experiment": "a"}},
                   "status": {"startTime": "2026-11-22T10:00:00Z", "conditions": [
                     {"type": "Created", "status": "True", "lastTransitionTime": "2026-11-22T10:00:00Z"},
                     {"type": "Running", "status": "True", "lastTransitionTime": "2026-11-22T10:00:10Z"}]}},
                  {"kind": "PyTorchJob", "metadata": {"labels": {"capstan.dev/experiment": "b"}},
                   "status": {"startTime": "2026-11-22T10:00:00Z", "completionTime": "2026-11-22T11:30:00Z",
                     "conditions": [
                     {"type": "Created", "status": "True"}, {"type": "Running", "status": "False"},
                     {"type": "Succeeded", "status": "True", "lastTransitionTime": "2026-11-22T11:30:00Z"}]}}]}
                """)
        let pods = try Value(
            jsonText: """
                {"items": [
                  {"metadata": {"labels": {"capstan.dev/experiment": "a"}}, "spec": {"nodeName": "n1"}},
                  {"metadata": {"labels": {"capstan.dev/experiment": "a"}}, "spec": {"nodeName": "n2"}},
                  {"metadata": {"labels": {"capstan.dev/experiment": "a"}}, "spec": {"nodeName": "n1"}}]}
                """)
        let rows = ExperimentStatusReader.rows(experiments, objects: objects, pods: pods, now: now)
        #expect(
            rows == [
                .init(id: "a", params: "lr=0.1", phase: "Running", duration: "1h0m0s", node: "n1,n2"),
                .init(id: "b", params: "lr=0.2", phase: "Succeeded", duration: "1h30m0s", node: "-"),
            ])
    }

    @Test func workflowRowsComeFromTrainPods() throws {
        let workflow = try Value(
            jsonText: """
                {"kind": "Workflow", "status": {"phase": "Running", "nodes": {
                  "s-1": {"type": "Steps", "phase": "Running", "name": "s"},
                  "s-2": {"type": "Pod", "templateName": "train", "phase": "Succeeded", "hostNodeName": "node-02",
                          "startedAt": "2026-11-22T10:00:00Z", "finishedAt": "2026-11-22T10:00:42Z",
                          "inputs": {"parameters": [{"name": "id", "value": "b"}, {"name": "image", "value": "i"}]}},
                  "s-3": {"type": "Pod", "templateName": "merge", "phase": "Pending"}}}}
                """)
        let rows = ExperimentStatusReader.workflowRows(experiments, workflow: workflow, now: now)
        #expect(
            rows == [
                .init(id: "a", params: "lr=0.1", phase: "NotFound", duration: "-", node: "-"),
                .init(id: "b", params: "lr=0.2", phase: "Succeeded", duration: "42s", node: "node-02"),
            ])
        #expect(
            ExperimentStatusReader.table(rows)
                == "ID  PARAMS  PHASE      DURATION  NODE\na   lr=0.1  NotFound   -         -\n"
                + "b   lr=0.2  Succeeded  42s       node-02\n")
    }
}
