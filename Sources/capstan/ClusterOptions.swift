import ArgumentParser
import CapstanBasics
import CapstanCluster
import CapstanExecution
import CapstanOutput
import Foundation

/// Options every `capstan cluster` verb takes: those of `capstan play` that make sense for a
/// shipped playbook, where to find the playbooks, and `--yes`.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var tags: TagOptions

    @Option(
        name: [.short, .customLong("extra-vars")],
        help: "Variables: k=v words, YAML/JSON, or @file; repeatable.")
    var extraVars: [String] = []

    @Flag(name: [.customShort("C"), .customLong("check")], help: "Predict changes without making them.")
    var check = false

    @Flag(name: [.customShort("D"), .customLong("diff")], help: "Show what changes in files and templates.")
    var diff = false

    @Flag(name: .customShort("v"), help: "More output (repeat for more).")
    var verbose: Int

    @Option(name: .customLong("playbooks-dir"), help: "The folder holding cluster.yml, reset.yml, ...")
    var playbooksDir: String?

    @Flag(name: [.short, .customLong("yes")], help: "Do not ask before reset, remove-node or upgrade.")
    var yes = false
}

/// Runs one shipped playbook for a cluster verb through `PlayRequest` and `PlayDriver`, the path
/// `capstan play` takes, with the cluster's state folder (`ClusterState`) passed as
/// `capstan_artifacts_dir`.
enum ClusterRunner {
    /// How a verb's run ends besides the recap.
    enum Ending {
        /// The recap only.
        case recap
        /// `cluster up`: the summary of the cluster (nodes, API, admin.conf, time, next step).
        case summary
        /// `cluster plan`: check and diff mode, the plan per host instead of task-by-task output.
        case plan
    }

    /// Runs `playbook` (a file name in the playbooks folder); `variables` are the verb's own extra
    /// variables and win over `-e`, which wins over the state folder.
    static func run(
        _ playbook: String, options: ClusterOptions, limit: String? = nil, variables: [String: Value] = [:],
        ending: Ending = .recap
    ) async throws {
        let started = ContinuousClock.now
        let path: String
        do { path = try ProjectLocator(explicit: options.playbooksDir).playbook(playbook) } catch {
            Diagnostics.printError("\(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var request = PlayRequest(inventory: options.inventory, connection: options.connection, playbooks: [path])
        request.extraVars = options.extraVars
        if !variables.isEmpty {
            let ordered = variables.sorted { $0.key < $1.key }
            request.extraVars.append(Value.dict(.init(uniqueKeysWithValues: ordered)).json())
        }
        request.tags = options.tags.only
        request.skipTags = options.tags.skip
        request.check = options.check || ending == .plan
        request.diff = options.diff || ending == .plan
        request.verbosity = options.verbose
        request.limit = limit
        var warnings: [Warning] = []
        var run = try request.makeRun(warnings: &warnings)
        let cluster = ClusterContext.load(
            sources: run.inventorySources,
            extraVars: Dictionary(run.options.extraVars.map { ($0.key, $0.value) }) { $1 })
        let state = cluster.stateFolder(warnings: &warnings)
        if !cluster.state.named { run.options.extraVars["capstan_artifacts_dir"] = .string(state) }
        // The journal records the verb, its playbook and what the verb added (never `-e` texts,
        // which may hold secrets).
        let verb = (playbook as NSString).deletingPathExtension
        var command = "cluster \(ending == .plan ? "plan" : verb == "cluster" ? "up" : verb) \(path)"
        if let limit { command += " --limit \(limit)" }
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { command += " \(key)=\(value.pythonString)" }
        let text = options.output.format == .text
        let plan = ChangePlan()
        let watcher = UnreachableWatcher()
        do {
            try await PlayDriver.run(
                run, output: options.output, warnings: warnings, command: command, locked: !options.inventory.noLock,
                display: ending == .plan && text ? plan : nil, observers: [watcher])
        } catch {
            if ending == .plan && text { print(plan.render(), terminator: "") }
            watcher.printHint(inventory: run.inventorySources)
            throw error
        }
        if ending == .plan && text { print(plan.render(), terminator: "") }
        if ending == .summary && text && !run.options.checkMode {
            print(cluster.summary(state: state, elapsed: started.duration(to: .now), sources: run.inventorySources))
        }
    }
}

/// Sees which hosts a run found unreachable, to say what to do about a host that left the cluster.
final class UnreachableWatcher: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var hosts: [String] = []

    func emit(_ event: RunEvent) {
        guard case .recap(let stats) = event else { return }
        lock.withLock { hosts = stats.filter { $0.stats.unreachable > 0 }.map(\.host) }
    }

    /// After a failed run: each unreachable host, and that a host no longer in the cluster (removed
    /// with `cluster remove-node`, say) must leave the inventory or be limited out.
    func printHint(inventory: [String]) {
        let hosts = lock.withLock { self.hosts }
        guard !hosts.isEmpty else { return }
        let list = hosts.joined(separator: ", ")
        let exclusion = hosts.map { "!" + $0 }.joined(separator: ",")
        OutputStream.standardError.write(
            "HINT: \(list) could not be reached. If \(hosts.count == 1 ? "it is" : "they are") no longer part of the "
                + "cluster (after cluster remove-node, say), remove \(hosts.count == 1 ? "it" : "them") from the "
                + "inventory (\(inventory.joined(separator: ", "))) or --limit \(hosts.count == 1 ? "it" : "them") "
                + "out: --limit '\(exclusion)'\n")
    }
}

/// Asks before a destructive verb: on a terminal the user types `yes`; without one, `--yes` is
/// required, so a script never tears a cluster down by accident. Refusal exits 64 with nothing done.
enum Confirmation {
    static func require(_ action: String, yes: Bool) throws {
        if yes { return }
        guard isatty(0) == 1 else {
            Diagnostics.printError("\(action): this needs confirmation; run it on a terminal or pass --yes")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        OutputStream.standardError.write("\(action)? Type yes to continue: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            Diagnostics.printError("not confirmed; nothing was changed")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
