import ArgumentParser
import CapstanEngine
import Foundation

/// `capstan ml up|status|check`: the ML layer on a running cluster.
struct MLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml", abstract: "Install, report and check the ML layer (playbooks/ml.yml).",
        subcommands: [MLUpCommand.self, MLStatusCommand.self, MLCheckCommand.self])
}

/// Options every `ml` verb shares: where the playbooks are and which cluster this is.
struct MLProjectOptions: ParsableArguments {
    @Option(
        name: .customLong("playbooks-dir"),
        help: "Folder holding ml.yml (default: the nearest playbooks/ up from here, else beside capstan).")
    var playbooksDir: String?

    @Option(name: .customLong("cluster-name"), help: "The cluster's name; its secrets go to artifacts/NAME.")
    var clusterName = "capstan"

    /// `<cwd>/artifacts/<cluster name>`, the operator-side folder for this cluster's secrets.
    var artifactsDir: String {
        FileManager.default.currentDirectoryPath + "/artifacts/" + clusterName
    }

    /// The playbooks folder: the option, else the nearest `playbooks/` holding ml.yml walking up
    /// from the current directory, else one beside (or above) the executable.
    func playbooks() throws -> String {
        if let playbooksDir { return playbooksDir }
        let fm = FileManager.default
        var starts = [fm.currentDirectoryPath]
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        starts.append(executable.deletingLastPathComponent().path)
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            while true {
                let candidate = dir.appendingPathComponent("playbooks")
                if fm.fileExists(atPath: candidate.appendingPathComponent("ml.yml").path) { return candidate.path }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw ValidationError("no playbooks/ml.yml found here or above; use --playbooks-dir")
    }
}

/// `capstan ml up -i INV`: runs playbooks/ml.yml as `capstan play` does, with this cluster's
/// artifacts folder.
struct MLUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Install or update the ML layer (runs playbooks/ml.yml).",
        discussion: ExitStatus.table)

    @OptionGroup var project: MLProjectOptions
    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: [.short, .customLong("extra-vars")],
        help: "Variables: k=v words, YAML/JSON, or @file; repeatable (e.g. -e object_store=seaweedfs).")
    var extraVars: [String] = []

    @Flag(name: [.customShort("C"), .customLong("check")], help: "Predict changes without making them.")
    var check = false

    @Flag(name: .customShort("v"), help: "More output (repeat for more).")
    var verbose: Int

    func run() async throws {
        var warnings: [Warning] = []
        var options = PlaybookOptions()
        options.checkMode = check
        options.forks = connection.forks
        options.verbosity = verbose
        options.limit = inventory.limit
        options.extraVars["cluster_name"] = .string(project.clusterName)
        options.extraVars["capstan_artifacts_dir"] = .string(project.artifactsDir)
        do {
            for text in extraVars { options.extraVars.merge(try ExtraVars.parse(text, warnings: &warnings)) { $1 } }
        } catch {
            throw Diagnostics.fail(error)
        }
        let playbook = try project.playbooks() + "/ml.yml"
        let run = PlaybookRun(
            inventorySources: inventory.sources, playbooks: [playbook], options: options,
            connectionDefaults: try connection.defaults(), roleSearchPaths: [])
        try await PlayDriver.run(run, output: output, warnings: warnings)
    }
}
