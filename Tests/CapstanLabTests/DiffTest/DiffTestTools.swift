import CapstanTestSupport
import Foundation

@testable import CapstanTransport

/// Runs the differential corpus (`Tests/difftest/site.yml`) with one tool against one lab node and
/// returns the run's events as JSON lines: ansible-playbook through the recording callback
/// `Tests/oracles/callback_plugins/capstan_events.py`, Capstan through `--output json`; both write
/// the same event shapes.
struct DiffTestTool: Sendable {
    enum Kind: String, Sendable { case ansible, capstan }

    let kind: Kind
    let node: LabNodes.Node
    /// The corpus playbook this tool runs (`files.yml`, ...).
    let playbook: String
    /// Where this tool's inventory, events, logs and fetched files go on the controller.
    let workDirectory: String
    /// `http://<bridge address>:<port>` of the test's file server.
    let httpBase: String

    static let corpus = Fixtures.packageRoot.appendingPathComponent("Tests/difftest").path
    static let venv = Fixtures.packageRoot.appendingPathComponent(".build/venv").path
    static let collections = Fixtures.packageRoot.appendingPathComponent(".build/ansible-collections").path
    static let callbacks = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/callback_plugins").path

    var fetchDirectory: String { workDirectory + "/fetched" }

    /// Writes an inventory naming the node `target`, so both tools' events and fetched paths carry
    /// the same host name whatever the lab calls the node.
    func writeInventory() throws -> String {
        let path = workDirectory + "/inventory.ini"
        let text = """
            target ansible_host=\(node.address) ansible_user=root ansible_ssh_private_key_file=\(node.lab.keyPath)

            [all:vars]
            ansible_ssh_common_args='-o UserKnownHostsFile=\(node.lab.knownHostsPath) -o StrictHostKeyChecking=yes'

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// One pass over the corpus (`pass` names the event file); `check` adds `--check`.
    func run(pass: String, check: Bool) throws -> (events: String, log: String, status: Int32) {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
        let inventory = try writeInventory()
        var arguments = [
            "-i", inventory, Self.corpus + "/" + playbook, "-e", "http_base=\(httpBase)", "-e",
            "fetch_dest=\(fetchDirectory)",
        ]
        if check { arguments.append("--check") }
        switch kind {
        case .ansible:
            let events = workDirectory + "/\(pass).jsonl"
            var env = ProcessInfo.processInfo.environment
            env["ANSIBLE_CONFIG"] = Self.corpus + "/ansible.cfg"
            env["ANSIBLE_COLLECTIONS_PATH"] = Self.collections
            env["ANSIBLE_CALLBACK_PLUGINS"] = Self.callbacks
            env["ANSIBLE_LOCAL_TEMP"] = workDirectory + "/ansible-tmp"
            env["CAPSTAN_EVENTS_FILE"] = events
            let outcome = try SpawnedProcess.run(Self.venv + "/bin/ansible-playbook", arguments, environment: env)
            let text = (try? String(contentsOfFile: events, encoding: .utf8)) ?? ""
            return (text, outcome.out + outcome.err, outcome.status)
        case .capstan:
            let outcome = try CapstanBinary.run(["play"] + arguments + ["--output", "json"])
            try outcome.out.write(toFile: workDirectory + "/\(pass).jsonl", atomically: true, encoding: .utf8)
            return (outcome.out, outcome.err, outcome.status)
        }
    }
}

/// A file server on the lab bridge for `get_url`: `python3 -m http.server` on the corpus' `files/`,
/// bound to the host's bridge address only, stopped by its process id.
final class DiffTestFileServer {
    let pid: pid_t
    let base: String

    init(address: String, port: Int) throws {
        let directory = DiffTestTool.corpus + "/files"
        // Its request log goes nowhere: the test reads what the tools did from their own events.
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { close(null) }
        pid = try PosixSpawn.start(
            "/usr/bin/python3",
            ["-m", "http.server", "--bind", address, "--directory", directory, String(port)],
            stdin: nil, stdout: null, stderr: null, environment: nil)
        base = "http://\(address):\(port)"
        let probe = try SpawnedProcess.run(
            "/bin/sh",
            [
                "-c",
                "for i in $(seq 100); do curl -sf -o /dev/null \(base)/hello.txt && exit 0; sleep 0.1; done; exit 1",
            ])
        if probe.status != 0 {
            stop()
            throw LabNodes.LabError(message: "the file server on \(base) did not answer")
        }
    }

    func stop() {
        kill(pid, SIGTERM)
        _ = PosixSpawn.wait(pid)
    }
}

/// One tool's side of the comparison. Each corpus playbook gets two fresh nodes of its own: one for
/// `--check`, one for the first and second runs; all of them run at once (Ansible takes about a
/// second a task, so the test takes the time of its longest playbook rather than of all three).
/// Results are put together in playbook order; state lines are prefixed with the playbook.
struct DiffTestSide: Sendable {
    static let passes = ["check", "run1", "run2"]
    /// The corpus playbooks; `CAPSTAN_DIFFTEST_PLAYBOOKS` (comma-separated names) runs only those.
    static let playbooks: [String] = {
        let all = [
            "files.yml", "commands.yml", "system.yml", "modules-a.yml", "modules-b.yml",
            "modules-c.yml", "roles.yml",
        ]
        guard let only = ProcessInfo.processInfo.environment["CAPSTAN_DIFFTEST_PLAYBOOKS"], !only.isEmpty else {
            return all
        }
        let wanted = Set(only.split(separator: ",").map(String.init))
        return all.filter { wanted.contains($0) }
    }()

    let kind: DiffTestTool.Kind
    var statuses: [String: [String]] = [:]
    var logs: [String: String] = [:]
    /// The run nodes' states after `run1` and `run2`.
    var states: [String: [String]] = [:]
    var beforeCheck: [String] = []
    var afterCheck: [String] = []
    var fetched: [String] = []

    /// Runs every playbook; `nodes` holds two per playbook (check node, run node), in order.
    static func run(_ kind: DiffTestTool.Kind, nodes: [LabNodes.Node], work: String, httpBase: String) throws
        -> DiffTestSide
    {
        let parts = playbooks.enumerated().map { index, playbook in
            DiffTestBackground {
                try runOne(
                    kind, playbook: playbook, checkNode: nodes[2 * index], runNode: nodes[2 * index + 1],
                    work: "\(work)/\(kind.rawValue)-\(index)", httpBase: httpBase)
            }
        }
        var side = DiffTestSide(kind: kind)
        for (playbook, part) in zip(playbooks, parts) {
            let one = try part.wait()
            func tagged(_ lines: [String]) -> [String] { lines.map { "\(playbook): \($0)" } }
            for pass in passes {
                side.statuses[pass, default: []] += one.statuses[pass] ?? []
                side.logs[pass, default: ""] += one.logs[pass] ?? ""
                side.states[pass, default: []] += tagged(one.states[pass] ?? [])
            }
            side.beforeCheck += tagged(one.beforeCheck)
            side.afterCheck += tagged(one.afterCheck)
            side.fetched += one.fetched
        }
        return side
    }

    static func runOne(
        _ kind: DiffTestTool.Kind, playbook: String, checkNode: LabNodes.Node, runNode: LabNodes.Node, work: String,
        httpBase: String
    ) throws -> DiffTestSide {
        let checker = DiffTestTool(
            kind: kind, node: checkNode, playbook: playbook, workDirectory: work + "-check", httpBase: httpBase)
        let runner = DiffTestTool(
            kind: kind, node: runNode, playbook: playbook, workDirectory: work + "-run", httpBase: httpBase)
        var side = DiffTestSide(kind: kind)
        side.beforeCheck = try DiffTestState.collect(checkNode)
        let check = DiffTestBackground { try checker.run(pass: "check", check: true) }
        for pass in ["run1", "run2"] {
            let run = try runner.run(pass: pass, check: false)
            side.statuses[pass] = DiffTestEvents.statuses(run.events)
            side.logs[pass] = run.log
            side.states[pass] = try DiffTestState.collect(runNode)
        }
        let checked = try check.wait()
        side.statuses["check"] = DiffTestEvents.statuses(checked.events)
        side.logs["check"] = checked.log
        side.afterCheck = try DiffTestState.collect(checkNode)
        side.fetched = try DiffTestState.fetched(runner.fetchDirectory)
        return side
    }
}

/// Work on a thread of its own (the tools are blocking child processes), waited for later.
final class DiffTestBackground<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            result = Result { try work() }
            done.signal()
        }
    }

    func wait() throws -> T {
        done.wait()
        return try result!.get()
    }
}
