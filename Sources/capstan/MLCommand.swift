import ArgumentParser
import CapstanExecution

/// `capstan ml up|status|check`: the ML layer on a running cluster.
struct MLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml", abstract: "Install, report and check the ML layer (playbooks/ml.yml).",
        subcommands: [MLUpCommand.self, MLStatusCommand.self, MLCheckCommand.self])
}

/// `capstan ml up -i INV`: runs playbooks/ml.yml as `capstan cluster up` runs cluster.yml (same
/// options, playbook lookup and artifacts folder, artifacts/CLUSTER under the current directory).
struct MLUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Install or update the ML layer (runs playbooks/ml.yml).",
        discussion: "Components are switched with -e, e.g. -e kfp_enabled=true -e object_store=seaweedfs "
            + "(roles/ml-common/defaults/main.yml lists them).\n\n" + ExitStatus.table)

    @OptionGroup var options: ClusterOptions

    func run() async throws { try await ClusterRunner.run("ml.yml", options: options) }
}
