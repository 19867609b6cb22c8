import CapstanBasics
import Foundation

/// `capstan ml check`: post-install smoke tests, one after another, each cleaning up after itself:
/// a PyTorchJob and a TFJob that must succeed, an Argo Workflow passing an artifact through the
/// object store, and a ping from a pod on one node to a pod on another (over the pod network).
/// A job passes only when its own status, read back after the wait, says it succeeded; one whose
/// status cannot be read is "CANNOT SEE", never "ok".
public struct MLCheck: Sendable {
    /// How a check ended.
    public enum Outcome: String, Sendable, Equatable {
        case passed = "ok"
        case failed = "FAILED"
        /// What was made could not be read back, so nothing is known of how it ended.
        case unobserved = "CANNOT SEE"
    }

    /// One line of the result table.
    public struct Row: Sendable, Equatable {
        public var check: String
        public var outcome: Outcome
        public var seconds: Double
        public var detail: String
        /// Passed, and seen to.
        public var passed: Bool { outcome == .passed }
    }

    public let kubectl: Kubectl
    public let manifests: MLCheckManifests
    /// How long each job or workflow may take.
    public var timeoutSeconds: Int

    /// Checks in `manifests.namespace` through `kubectl`.
    public init(kubectl: Kubectl, manifests: MLCheckManifests, timeoutSeconds: Int = 300) {
        self.kubectl = kubectl
        self.manifests = manifests
        self.timeoutSeconds = timeoutSeconds
    }

    /// Runs every check and returns their rows in order.
    public func run() async -> [Row] {
        var rows: [Row] = []
        rows.append(
            await timed("pytorchjob") {
                try await runToCompletion(
                    manifests.pytorchJob, resource: "pytorchjob", condition: "condition=Succeeded",
                    succeeded: Self.hasSucceededCondition)
            })
        rows.append(
            await timed("tfjob") {
                try await runToCompletion(
                    manifests.tfJob, resource: "tfjob", condition: "condition=Succeeded",
                    succeeded: Self.hasSucceededCondition)
            })
        rows.append(
            await timed("argo-artifact") {
                try await runToCompletion(
                    manifests.workflow, resource: "workflow", condition: "jsonpath={.status.phase}=Succeeded",
                    succeeded: { $0["status"]?["phase"]?.stringValue == "Succeeded" })
            })
        rows.append(await timed("pod-ping") { try await ping() })
        return rows
    }

    /// The result table: check, result, seconds, detail.
    public static func table(_ rows: [Row]) -> String {
        TextTable(
            header: ["CHECK", "RESULT", "SECONDS", "DETAIL"],
            rows: rows.map { [$0.check, $0.outcome.rawValue, String(format: "%.1f", $0.seconds), $0.detail] }
        ).text
    }

    /// A training job's status (PyTorchJob, TFJob) has the condition Succeeded, True.
    static func hasSucceededCondition(_ object: Value) -> Bool {
        (object["status"]?["conditions"]?.listValue ?? []).contains {
            $0["type"]?.stringValue == "Succeeded" && $0["status"]?.stringValue == "True"
        }
    }

    struct CheckFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// What a check made could not be read back after it ran.
    struct Unobserved: Error, CustomStringConvertible {
        var description: String
    }

    private func timed(_ name: String, _ body: () async throws -> String) async -> Row {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: (Outcome, String)
        do { outcome = (.passed, try await body()) } catch let error as Unobserved {
            outcome = (.unobserved, Self.oneLine("\(error)"))
        } catch { outcome = (.failed, Self.oneLine("\(error)")) }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Row(check: name, outcome: outcome.0, seconds: seconds, detail: outcome.1)
    }

    static func oneLine(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.count > 100 ? String(line.prefix(97)) + "..." : line
    }

    private func must(_ arguments: [String], stdin: String? = nil, timeout: Int = 60) async throws -> String {
        let result = try await kubectl.run(arguments, stdin: stdin, timeout: .seconds(timeout))
        guard result.succeeded else {
            throw CheckFailure(
                description: Self.oneLine(result.stderrText.isEmpty ? result.stdoutText : result.stderrText))
        }
        return result.stdoutText.trimmingTrailingNewlines()
    }

    private func name(_ object: Value) -> String { object["metadata"]?["name"]?.stringValue ?? "" }

    /// Creates `object`, waits for `condition`, reads the object back and asks `succeeded` of it
    /// (kubectl's wait alone is not taken for it), deletes it (also when waiting failed).
    private func runToCompletion(
        _ object: Value, resource: String, condition: String, succeeded: (Value) -> Bool
    ) async throws -> String {
        let ns = manifests.namespace
        let target = "\(resource)/\(name(object))"
        _ = try await must(["-n", ns, "create", "-f", "-"], stdin: object.json())
        var failure: (any Error)?
        do {
            _ = try await must(
                ["-n", ns, "wait", "--for=\(condition)", target, "--timeout=\(timeoutSeconds)s"],
                timeout: timeoutSeconds + 30)
            let seen: Value
            do { seen = try await kubectl.json(["-n", ns, "get", resource, name(object), "-o", "json"]) } catch {
                throw Unobserved(description: "\(target): cannot read it back: \(error)")
            }
            guard seen["kind"]?.stringValue != "List", seen["metadata"] != nil else {
                throw Unobserved(description: "\(target): kubectl get did not return it")
            }
            guard let status = seen["status"], status != .null else {
                throw Unobserved(description: "\(target): it has no status (is its controller running?)")
            }
            guard succeeded(seen) else {
                throw CheckFailure(description: "\(target) did not succeed: status \(status.json())")
            }
        } catch { failure = error }
        _ = try? await kubectl.run(["-n", ns, "delete", target, "--ignore-not-found", "--wait=false"])
        if let failure { throw failure }
        return "\(target) succeeded"
    }

    /// Two pods on two Ready nodes; the first pings the second's pod IP three times.
    private func ping() async throws -> String {
        let ns = manifests.namespace
        let nodes = try await kubectl.json(["get", "nodes", "-o", "json"])
        let ready = (nodes["items"]?.listValue ?? []).filter { node in
            (node["status"]?["conditions"]?.listValue ?? []).contains {
                $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True"
            }
        }.compactMap { $0["metadata"]?["name"]?.stringValue }
        guard ready.count >= 2 else {
            throw CheckFailure(description: "needs two Ready nodes, found \(ready.count)")
        }
        let a = manifests.pingPod("a", node: ready[0])
        let b = manifests.pingPod("b", node: ready[1])
        let pods = [name(a), name(b)]
        var failure: (any Error)?
        var ip = ""
        do {
            for pod in [a, b] { _ = try await must(["-n", ns, "create", "-f", "-"], stdin: pod.json()) }
            _ = try await must(
                ["-n", ns, "wait", "--for=condition=Ready"] + pods.map { "pod/\($0)" } + [
                    "--timeout=\(timeoutSeconds)s"
                ], timeout: timeoutSeconds + 30)
            ip = try await must(["-n", ns, "get", "pod", pods[1], "-o", "jsonpath={.status.podIP}"])
            guard !ip.isEmpty else { throw CheckFailure(description: "pod \(pods[1]) has no IP") }
            _ = try await must(["-n", ns, "exec", pods[0], "--", "ping", "-c", "3", "-W", "2", ip], timeout: 30)
        } catch { failure = error }
        _ = try? await kubectl.run(["-n", ns, "delete", "pod"] + pods + ["--ignore-not-found", "--wait=false"])
        if let failure { throw failure }
        return "\(ready[0]) -> \(ready[1]) (\(ip))"
    }
}
