import ArgumentParser
import CapstanBasics
import CapstanExecution

/// The `capstan` command: turns bare-metal machines into a Kubernetes cluster for ML work.
@main
struct Capstan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capstan",
        abstract: "Bootstrap and maintain Kubernetes clusters for ML from an Ansible inventory.",
        version: CapstanVersion.current,
        subcommands: [
            ClusterCommand.self, ExperimentsCommand.self, InitCommand.self, InventoryCommand.self, MLCommand.self,
            PingCommand.self,
            PlayCommand.self, RunCommand.self, RunsCommand.self, ConnectionKeeperCommand.self,
        ]
    )
}
