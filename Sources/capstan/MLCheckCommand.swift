import ArgumentParser
import CapstanCluster
import CapstanExecution
import Foundation

/// `capstan ml check -i INV`: the post-install smoke tests, one table of results.
struct MLCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Smoke-test the ML layer: PyTorchJob, TFJob, Argo artifact round trip, cross-node pod ping.",
        discussion: "Exit 0 when every check passes, 2 when one fails or cannot be seen (what it made could not be "
            + "read back: CANNOT SEE, never ok), 4 when the control plane cannot be reached.")

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var target: MLKubectlOptions

    @Option(name: .customLong("image"), help: "Image the check pods run (a shell with ping).")
    var image = "busybox:1.37"

    @Option(name: .customLong("check-timeout"), help: "Seconds each job, workflow or pod may take.")
    var checkTimeout = 300

    func run() async throws {
        let (kubectl, _) = try await target.kubectl(inventory: inventory, connection: connection)
        let suffix = String(UUID().uuidString.lowercased().prefix(8))
        let manifests = MLCheckManifests(namespace: target.namespace, suffix: suffix, image: image)
        let rows = await MLCheck(kubectl: kubectl, manifests: manifests, timeoutSeconds: checkTimeout).run()
        await kubectl.connection.close()
        print(MLCheck.table(rows), terminator: "")
        if rows.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.hostsFailed.rawValue) }
    }
}
