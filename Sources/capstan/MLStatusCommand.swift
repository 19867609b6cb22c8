import ArgumentParser
import CapstanEngine

/// `capstan ml status -i INV`: one table of the ML components, their pods and endpoints.
struct MLStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each ML component's pods (ready/total) and endpoint.",
        discussion: "Exit 0 when every installed component is ready, 2 when one is not, 4 when the control plane "
            + "cannot be reached, 8 when the inventory names no control plane.")

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: MLKubectlOptions

    func run() async throws {
        let (kubectl, address) = try await target.kubectl(inventory: inventory, connection: connection)
        let status: MLStatus
        do {
            status = try await MLStatus.read(
                kubectl, components: MLComponent.catalogue(mlNamespace: target.namespace), nodeAddress: address)
        } catch {
            await kubectl.connection.close()
            Diagnostics.printError("\(error)")
            throw ExitCode(ExitStatus.hostsFailed.rawValue)
        }
        await kubectl.connection.close()
        print(status.table, terminator: "")
        let installed = status.rows.filter { $0.total > 0 }
        if installed.contains(where: { !$0.healthy }) { throw ExitCode(ExitStatus.hostsFailed.rawValue) }
    }
}
