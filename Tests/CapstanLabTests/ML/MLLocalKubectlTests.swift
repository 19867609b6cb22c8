import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// `capstan ml status|check` through the built binary with `--kubeconfig`, kubectl being the kubectl
/// TEST DOUBLE (Tests/doubles/kubectl) on this machine's PATH: an API that runs nothing, as the kube
/// doubles' lab is, or a freshly reset cluster. Neither command may then report success.
@Suite struct MLLocalKubectlTests {
    /// A folder with the double as `bin/kubectl`, its state in `state/`, and an inventory without a
    /// control plane (so kubectl runs here with the kubeconfig).
    func prepare() throws -> String {
        let dir = TestScratch.directory + "/capstan-ml-local-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Fixtures.packageRoot.appendingPathComponent("Tests/doubles/kubectl").path,
            toPath: dir + "/bin/kubectl")
        try "[kube_node]\nw1 ansible_host=127.0.0.1\n".write(
            toFile: dir + "/hosts.ini", atomically: true, encoding: .utf8)
        return dir
    }

    func capstan(_ dir: String, _ arguments: [String]) throws -> (
        status: Int32, out: String, err: String, seconds: Double
    ) {
        try CapstanBinary.run(
            ["ml"] + arguments + ["-i", dir + "/hosts.ini", "--kubeconfig", dir + "/admin.conf"],
            environment: [
                "PATH": dir + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
                "KUBECTL_DOUBLE_DIR": dir + "/state",
            ])
    }

    func respond(_ dir: String, _ name: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/state/responses", withIntermediateDirectories: true)
        try text.write(toFile: dir + "/state/responses/" + name, atomically: true, encoding: .utf8)
    }

    /// Before: all nine components "0/0 not installed", exit 0.
    @Test func statusOfAnAPIWithoutWorkloadsSaysMissingAndFails() throws {
        let dir = try prepare()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let status = try capstan(dir, ["status"])
        #expect(status.status == 2, "\(status.out)\(status.err)")
        let lines = status.out.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("jupyter ") && $0.contains("MISSING") })
        #expect(lines.contains { $0.hasPrefix("trainer-v2 ") && $0.contains("not installed (optional)") })
        #expect(status.err.contains("not ready: object-store, argo-workflows, training-operator, jupyter, registry"))
        let optional = try capstan(dir, ["status", "--optional", "nosuch"])
        #expect(optional.status == 64, "\(optional.err)")
    }

    @Test func statusOfReadyWorkloadsPasses() throws {
        let dir = try prepare()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let items = [
            ("object-store", "capstan-ml"), ("workflow-controller", "argo"), ("training-operator", "kubeflow"),
            ("jupyter", "capstan-ml"),
        ].map { name, ns in
            #"{"kind":"Deployment","metadata":{"name":"\#(name)","namespace":"\#(ns)"},"spec":{"replicas":1},"status":{"readyReplicas":1}}"#
        }
        try respond(dir, "get-deployments,statefulsets,daemonsets", #"{"items":[\#(items.joined(separator: ","))]}"#)
        let missingRegistry = try capstan(dir, ["status"])
        #expect(missingRegistry.status == 2 && missingRegistry.err.contains("not ready: registry"))
        let status = try capstan(dir, ["status", "--optional", "registry"])
        #expect(status.status == 0, "\(status.out)\(status.err)")
        #expect(status.out.split(separator: "\n").contains { $0.hasPrefix("jupyter ") && $0.hasSuffix(" ready") })
    }

    /// kubectl that cannot reach its API server says so as the real one does (client logging first).
    @Test func statusWhenTheAPIDoesNotAnswerCannotSee() throws {
        let dir = try prepare()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.removeItem(atPath: dir + "/bin/kubectl")
        let refusing = """
            #!/bin/sh
            echo 'E1207 11:53:36.167425 27662 memcache.go:265] "Unhandled Error" err="could not get current server API group list"' >&2
            echo 'The connection to the server localhost:8080 was refused - did you specify the right host or port?' >&2
            exit 1

            """
        try refusing.write(toFile: dir + "/bin/kubectl", atomically: true, encoding: .utf8)
        chmod(dir + "/bin/kubectl", 0o755)
        let status = try capstan(dir, ["status"])
        #expect(status.status == 2, "\(status.out)\(status.err)")
        #expect(
            status.out.split(separator: "\n").dropFirst().allSatisfy {
                $0.hasSuffix(
                    "CANNOT SEE: kubectl get deployments,statefulsets,daemonsets failed (exit 1): The connection to the "
                        + "server localhost:8080 was refused - did you specify the right host or port?")
            }, "\(status.out)")
        #expect(!status.out.contains("not installed") && !status.out.contains("MISSING"))
    }

    /// Before: pytorchjob and tfjob "ok ... succeeded" on an API whose jobs nothing runs.
    @Test func checkNeverCallsAJobItCannotSeeSucceeded() throws {
        let dir = try prepare()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = try capstan(dir, ["check", "--check-timeout", "5"])
        #expect(check.status == 2, "\(check.out)\(check.err)")
        let rows = check.out.split(separator: "\n")
        for name in ["pytorchjob", "tfjob", "argo-artifact"] {
            #expect(rows.contains { $0.hasPrefix(name + " ") && $0.contains("CANNOT SEE") }, "\(name): \(check.out)")
        }
        #expect(!check.out.contains("succeeded") && !check.out.contains(" ok "), "\(check.out)")
    }

    @Test func checkPassesOnlyOnAStatusThatSaysSucceeded() throws {
        let dir = try prepare()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try respond(
            dir, "get-pytorchjob",
            #"{"kind":"PyTorchJob","metadata":{"name":"p"},"status":{"conditions":[{"type":"Succeeded","status":"True"}]}}"#
        )
        try respond(
            dir, "get-tfjob",
            #"{"kind":"TFJob","metadata":{"name":"t"},"status":{"conditions":[{"type":"Running","status":"True"},{"type":"Failed","status":"True"}]}}"#
        )
        try respond(dir, "get-workflow", #"{"kind":"Workflow","metadata":{"name":"w"},"status":{"phase":"Succeeded"}}"#)
        let check = try capstan(dir, ["check", "--check-timeout", "5"])
        let rows = check.out.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("pytorchjob ") && $0.contains(" ok ") && $0.contains("succeeded") })
        #expect(rows.contains { $0.hasPrefix("argo-artifact ") && $0.contains(" ok ") })
        #expect(rows.contains { $0.hasPrefix("tfjob ") && $0.contains("FAILED") && $0.contains("did not succeed") })
        #expect(rows.contains { $0.hasPrefix("pod-ping ") && $0.contains("FAILED") && $0.contains("two Ready nodes") })
        #expect(check.status == 2)
    }
}
