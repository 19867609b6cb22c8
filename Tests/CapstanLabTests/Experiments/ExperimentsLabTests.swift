import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanCluster

/// `capstan experiments` end to end through the built binary, kubectl running over SSH on the lab's
/// first control-plane node, where the kubectl TEST DOUBLE (Tests/doubles/kubectl) is installed as
/// /usr/local/bin/kubectl: it records every call (argv, then stdin) and keeps what was applied, so
/// the tests see what was deleted and applied, in which order, and that nothing else was touched.
@Suite(.serialized) struct ExperimentsLabTests {
    static let stateDir = "/var/lib/kubectl-double"

    /// Node 1 with a fresh double; and a folder holding the experiments file.
    func setUp() async throws -> (LabNode, String) {
        let node = try await LabNode.open(1)
        let double = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/doubles/kubectl"), encoding: .utf8)
        try await node.write(double, to: "/usr/local/bin/kubectl")
        try await node.sh("chmod 0755 /usr/local/bin/kubectl && rm -rf \(Self.stateDir)")
        let dir = TestScratch.directory + "/capstan-exps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ExperimentFixtures.sweep().write(toFile: dir + "/mnist.yaml", atomically: true, encoding: .utf8)
        return (node, dir)
    }

    func capstan(_ arguments: [String], _ dir: String) throws -> (
        status: Int32, out: String, err: String, seconds: Double
    ) {
        try CapstanBinary.run(
            ["experiments"] + arguments + [
                "-f", dir + "/mnist.yaml", "-i", LabNodes.inventoryPath, "--known-hosts", LabNodes.knownHostsPath,
            ])
    }

    /// The double's log as (argv, stdin) per call.
    func calls(_ node: LabNode) async throws -> [(argv: String, stdin: String)] {
        let log = try await node.sh("cat \(Self.stateDir)/log 2>/dev/null || true")
        var result: [(argv: String, stdin: String)] = []
        for line in log.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("argv: ") {
                result.append((String(line.dropFirst(6)), ""))
            } else if line.hasPrefix("stdin: "), !result.isEmpty {
                result[result.count - 1].stdin += line.dropFirst(7) + "\n"
            }
        }
        return result
    }

    func manifests(only: [String] = []) throws -> [RenderedManifest] {
        let file = try ExperimentFixtures.parse(ExperimentFixtures.sweep())
        return try ManifestRenderer().render(try file.selecting(only), of: file)
    }

    static let delete = "delete --ignore-not-found --cascade=foreground --wait=true --timeout=300s -f -"

    @Test func runDeletesThenAppliesEachExperimentInFileOrder() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        let first = try capstan(["run"], dir)
        #expect(first.status == 0, "\(first.err)")
        let expected = try manifests()
        let log = try await calls(node)
        #expect(log.map(\.argv) == expected.flatMap { _ in [Self.delete, "apply -f -"] })
        for (i, manifest) in expected.enumerated() {
            #expect(log[2 * i].stdin == manifest.text && log[2 * i + 1].stdin == manifest.text)
        }
        #expect(first.out.split(separator: "\n").first == "baseline: job/mnist-baseline created")
        let again = try capstan(["run"], dir)
        #expect(again.status == 0)
        #expect(
            again.out.split(separator: "\n").prefix(2) == [
                #"baseline: job "mnist-baseline" deleted"#, "baseline: job/mnist-baseline created",
            ])
        #expect(try await node.sh("ls \(Self.stateDir)/objects | wc -l") == "5")
    }

    @Test func onlyAndDeleteOnlyTouchOnlyWhatTheyName() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try capstan(["run"], dir).status == 0)
        try await node.sh("rm \(Self.stateDir)/log")
        let deleted = try capstan(["run", "--delete-only", "--only", "baseline", "batch-size-64-seed-2"], dir)
        #expect(deleted.status == 0, "\(deleted.err)")
        let targets = try manifests(only: ["baseline", "batch-size-64-seed-2"])
        var log = try await calls(node)
        #expect(log.map(\.argv) == [Self.delete, Self.delete])
        #expect(log.map(\.stdin) == targets.map(\.text))
        let left = try await node.sh("ls \(Self.stateDir)/objects")
        #expect(
            left == "job-mnist-batch-size-32-seed-1\njob-mnist-batch-size-32-seed-2\njob-mnist-batch-size-64-seed-1")
        try await node.sh("rm \(Self.stateDir)/log")
        #expect(try capstan(["run", "--only", "batch-size-32-seed-2"], dir).status == 0)
        log = try await calls(node)
        #expect(log.map(\.argv) == [Self.delete, "apply -f -"])
        #expect(log.allSatisfy { $0.stdin.contains("name: mnist-batch-size-32-seed-2\n") })
        let unknown = try capstan(["run", "--only", "nope"], dir)
        #expect(unknown.status == 65 && unknown.err.contains("no experiment has the id 'nope'"))
    }

    @Test func dryRunPrintsTheStreamAndContactsNothing() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        // An inventory that cannot even be read: a dry run never gets as far as connecting.
        let run = try CapstanBinary.run([
            "experiments", "run", "--dry-run", "-f", dir + "/mnist.yaml", "-i", "/nonexistent",
        ])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == RenderedManifest.stream(try manifests()))
        let argo = try CapstanBinary.run(["experiments", "run", "--dry-run", "--argo", "-f", dir + "/mnist.yaml"])
        #expect(argo.status == 0 && argo.out.hasPrefix("---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"))
        #expect(try await calls(node).isEmpty)
    }

    @Test func argoRunAppliesOneWorkflow() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        let run = try capstan(["run", "--argo"], dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "mnist: workflow/mnist created\n")
        #expect(try await calls(node).map(\.argv) == [Self.delete, "apply -f -"])
    }

    @Test func statusAndLogsReadWhatKubectlSays() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        try await node.sh("mkdir -p \(Self.stateDir)/responses")
        try await node.write(
            try Fixtures.text("experiments/kubectl-get-jobs.json"), to: "\(Self.stateDir)/responses/get-jobs.batch"
        )
        try await node.write(
            try Fixtures.text("experiments/kubectl-get-pods.json"), to: "\(Self.stateDir)/responses/get-pods")
        try await node.write(
            "[pod/mnist-baseline-x7k2p/train] epoch 1 loss 0.3\n",
            to: "\(Self.stateDir)/responses/logs-job=mnist-baseline")
        let status = try capstan(["status", "--only", "baseline", "batch-size-32-seed-1", "batch-size-64-seed-2"], dir)
        // Before, a NotFound experiment left the exit at 0 and said nothing of why.
        #expect(status.status == 2, "\(status.err)")
        // (after the lab inventory's warnings about its group names)
        #expect(
            status.err.hasSuffix(
                "ERROR: 1 of 3 experiments NotFound as jobs.batch labelled capstan.dev/experiment-set=mnist in "
                    + "namespace ml: not run yet (capstan experiments run -f \(dir)/mnist.yaml), deleted, or run in "
                    + "another namespace or cluster\n"), "\(status.err)")
        #expect(
            status.out == """
                ID                    PARAMS                                                               PHASE      DURATION  NODE
                baseline              batch_size=16 seed=0 lr=0.001 use_amp=true notes=ünïcode & "quotes"  Succeeded  2m5s      node-02
                batch-size-32-seed-1  batch_size=32 seed=1                                                 Failed     1m0s      node-03
                batch-size-64-seed-2  batch_size=64 seed=2                                                 NotFound   -         -

                """)
        let logs = try capstan(["logs", "baseline"], dir)
        #expect(logs.status == 0 && logs.out == "[pod/mnist-baseline-x7k2p/train] epoch 1 loss 0.3\n")
        #expect(
            try await calls(node).map(\.argv) == [
                "get jobs.batch -n ml -l capstan.dev/experiment-set=mnist -o json",
                "get pods -n ml -l capstan.dev/experiment-set=mnist -o json",
                "logs -n ml -l capstan.dev/job=mnist-baseline --all-containers --prefix --tail=-1 "
                    + "--max-log-requests=20",
            ])
        let found = try capstan(["status", "--only", "baseline", "batch-size-32-seed-1"], dir)
        #expect(found.status == 0 && !found.err.contains("ERROR"), "\(found.err)")
    }

    @Test func noSecretReachesKubectlOrTheOutput() async throws {
        let (node, dir) = try await setUp()
        defer { _Concurrency.Task { await node.close() } }
        let secret = "S3CRET-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/artifacts/capstan", withIntermediateDirectories: true)
        try #"{"endpoint": "http://127.0.0.1:9", "access_key": "capstan", "secret_key": "\#(secret)", "buckets": []}"#
            .write(toFile: dir + "/artifacts/capstan/object-store.json", atomically: true, encoding: .utf8)
        let run = try capstan(["run", "--only", "baseline"], dir)
        #expect(run.status == 0)
        let log = try await node.sh("cat \(Self.stateDir)/log")
        #expect(!log.contains(secret) && !(run.out + run.err).contains(secret))
        #expect(log.contains("secretKeyRef: {name: \"capstan-object-store\", key: \"secretkey\"}"))
        let results = try CapstanBinary.run([
            "experiments", "results", "-f", dir + "/mnist.yaml", "--object-store",
            dir + "/artifacts/capstan/object-store.json",
            "-o", dir + "/out",
        ])
        #expect(results.status == 2 && !(results.out + results.err).contains(secret))
    }

    @Test func kubeconfigRunsKubectlOnThisMachine() throws {
        let dir = TestScratch.directory + "/capstan-exps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(
            atPath: Fixtures.packageRoot.appendingPathComponent("Tests/doubles/kubectl").path,
            toPath: dir + "/bin/kubectl")
        try ExperimentFixtures.sweep().write(toFile: dir + "/mnist.yaml", atomically: true, encoding: .utf8)
        let env = [
            "PATH": dir + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "KUBECTL_DOUBLE_DIR": dir + "/state",
        ]
        let run = try CapstanBinary.run(
            [
                "experiments", "run", "-f", dir + "/mnist.yaml", "--kubeconfig", dir + "/admin.conf", "--only",
                "baseline",
            ],
            environment: env)
        #expect(run.status == 0, "\(run.err)")
        let log = try String(contentsOfFile: dir + "/state/log", encoding: .utf8)
        #expect(log.hasPrefix("argv: \(Self.delete)\n") && log.contains("argv: apply -f -\n"))
        #expect(run.out == "baseline: job/mnist-baseline created\n")
    }

    @Test func anUnreachableControlPlaneExits4() throws {
        let dir = TestScratch.directory + "/capstan-exps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ExperimentFixtures.sweep().write(toFile: dir + "/mnist.yaml", atomically: true, encoding: .utf8)
        try "[kube_control_plane]\ncp ansible_host=127.0.0.1 ansible_port=1\n".write(
            toFile: dir + "/hosts.ini", atomically: true, encoding: .utf8)
        let run = try CapstanBinary.run([
            "experiments", "run", "-f", dir + "/mnist.yaml", "-i", dir + "/hosts.ini", "-T", "3",
        ])
        #expect(run.status == 4, "\(run.err)")
        #expect(run.err.hasPrefix("ERROR: ") && run.out.isEmpty)
    }

    @Test func anInventoryWithoutAControlPlaneExits8() throws {
        let dir = TestScratch.directory + "/capstan-exps-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ExperimentFixtures.sweep().write(toFile: dir + "/mnist.yaml", atomically: true, encoding: .utf8)
        try "[kube_node]\nw1 ansible_host=127.0.0.1 ansible_port=1\n".write(
            toFile: dir + "/hosts.ini", atomically: true, encoding: .utf8)
        let run = try CapstanBinary.run(["experiments", "run", "-f", dir + "/mnist.yaml", "-i", dir + "/hosts.ini"])
        #expect(run.status == 8, "\(run.err)")
        #expect(run.err.contains("no host in kube_control_plane or kube-master") && run.out.isEmpty)
    }
}
