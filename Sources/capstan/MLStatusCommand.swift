import ArgumentParser
import CapstanCluster
import CapstanExecution

/// `capstan ml status -i INV`: one table of the ML components: their workloads' replicas, pods,
/// endpoints and state.
struct MLStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each ML component's replicas (ready/wanted), pods, endpoint and state.",
        discussion: "Exit 0 when every component is ready (an optional one may be absent), 2 when one is missing, "
            + "not ready or cannot be seen (kubectl could not list it), 4 when the control plane cannot be "
            + "reached, 8 when the inventory names no control plane. Optional by default: local-path-storage, "
            + "trainer-v2, kubeflow-pipelines, nvidia-device-plugin.")

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: MLKubectlOptions

    @Option(
        name: .customLong("optional"),
        help: "A component switched off in this cluster (e.g. jupyter): reported, not failing. Repeatable.")
    var optional: [String] = []

    func validate() throws {
        let catalogue = MLComponent.catalogue(mlNamespace: target.namespace)
        if let unknown = optional.first(where: { name in !catalogue.contains { $0.name == name } }) {
            throw ValidationError(
                "--optional \(unknown): no such component; components: "
                    + catalogue.map(\.name).joined(separator: ", "))
        }
    }

    func run() async throws {
        let catalogue = MLComponent.catalogue(mlNamespace: target.namespace)
        let components = catalogue.map { component in
            var component = component
            if optional.contains(component.name) { component.optional = true }
            return component
        }
        let (kubectl, address) = try await target.kubectl(inventory: inventory, connection: connection)
        let status = await MLStatus.read(kubectl, components: components, nodeAddress: address)
        await kubectl.connection.close()
        print(status.table, terminator: "")
        guard status.healthy else {
            Diagnostics.printError("not ready: \(status.failing.joined(separator: ", "))")
            throw ExitCode(ExitStatus.hostsFailed.rawValue)
        }
    }
}
