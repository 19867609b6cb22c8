import ArgumentParser
import CapstanEngine
import Foundation

/// Options every `capstan cluster` verb takes: those of `capstan play` that make sense for a
/// shipped playbook, where to find the playbooks, and `--yes`.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: [.short, .customLong("extra-vars")],
        help: "Variables: k=v words, YAML/JSON, or @file; repeatable.")
    var extraVars: [String] = []

    @Flag(name: [.customShort("C"), .customLong("check")], help: "Predict changes without making them.")
    var check = false

    @Flag(name: .customShort("v"), help: "More output (repeat for more).")
    var verbose: Int

    @Option(name: .customLong("playbooks-dir"), help: "The folder holding cluster.yml, reset.yml, ...")
    var playbooksDir: String?

    @Flag(name: [.short, .customLong("yes")], help: "Do not ask before reset, remove-node or upgrade.")
    var yes = false
}

/// Runs one shipped playbook for a cluster verb through `PlayRequest` and `PlayDriver`, the path
/// `capstan play` takes.
enum ClusterRunner {
    /// Runs `playbook` (a file name in the playbooks folder); `variables` are the verb's own extra
    /// variables and win over `-e`, which wins over the artifacts folder default.
    static func run(
        _ playbook: String, options: ClusterOptions, limit: String? = nil, variables: [String: Value] = [:]
    ) async throws {
        let path: String
        do { path = try ProjectLocator(explicit: options.playbooksDir).playbook(playbook) } catch {
            Diagnostics.printError("\(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var request = PlayRequest(inventory: options.inventory, connection: options.connection, playbooks: [path])
        request.extraVars = [artifactsDefault()] + options.extraVars
        if !variables.isEmpty {
            let ordered = variables.sorted { $0.key < $1.key }
            request.extraVars.append(Value.dict(.init(uniqueKeysWithValues: ordered)).json())
        }
        request.check = options.check
        request.verbosity = options.verbose
        request.limit = limit
        var warnings: [Warning] = []
        let run = try request.makeRun(warnings: &warnings)
        // The journal records the verb, its playbook and what the verb added (never `-e` texts,
        // which may hold secrets).
        let verb = (playbook as NSString).deletingPathExtension
        var command = "cluster \(verb == "cluster" ? "up" : verb) \(path)"
        if let limit { command += " --limit \(limit)" }
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { command += " \(key)=\(value.pythonString)" }
        try await PlayDriver.run(
            run, output: options.output, warnings: warnings, command: command, locked: !options.inventory.noLock)
    }

    /// `capstan_artifacts_dir` under the current directory, per cluster: the name is templated when
    /// the playbook reads it, so `cluster_name` from the inventory or `-e` is the one used.
    static func artifactsDefault() -> String {
        let dir = FileManager.default.currentDirectoryPath + "/artifacts/{{ cluster_name | default('capstan') }}"
        return Value.dict(["capstan_artifacts_dir": .string(dir)]).json()
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
