import ArgumentParser
import CapstanBasics
import CapstanCluster
import CapstanExecution
import CapstanInventory
import CapstanTransport
import Foundation

/// Where `capstan ml status|check` run kubectl: on the first control plane of the inventory over
/// SSH with /etc/kubernetes/admin.conf, or here with `--kubeconfig FILE` (the fetched
/// artifacts/CLUSTER/admin.conf).
struct MLKubectlOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: "Run kubectl here with this kubeconfig instead of over SSH.")
    var kubeconfig: String?

    @Option(name: .customLong("namespace"), help: "The ML namespace (ml_namespace of the roles).")
    var namespace = "capstan-ml"

    /// kubectl and the address NodePorts are shown on; `close` the connection when done.
    func kubectl(inventory: InventoryOptions, connection: ConnectionOptions) async throws -> (Kubectl, String) {
        var warnings: [Warning] = []
        let inv: Inventory
        do { inv = try Inventory.load(sources: inventory.sources, warnings: &warnings) } catch {
            Diagnostics.printWarnings(warnings)
            throw Diagnostics.fail(error)
        }
        guard let group = Kubectl.controlPlaneGroups.first(where: { !(inv.group(named: $0)?.hosts.isEmpty ?? true) }),
            let host = try inv.hosts(matching: "\(group)[0]", warnings: &warnings).first
        else {
            if let kubeconfig { return (Kubectl(connection: LocalConnection(), kubeconfig: kubeconfig), "127.0.0.1") }
            Diagnostics.printError("the inventory has no kube_control_plane (or kube-master) host")
            throw ExitCode(ExitStatus.noHostsMatched.rawValue)
        }
        let settings = inv.connectionSettings(for: host)
        let address = inv.variables(for: host)["ip"]?.stringValue ?? settings.address
        if let kubeconfig { return (Kubectl(connection: LocalConnection(), kubeconfig: kubeconfig), address) }
        let factory = ConnectionFactory(
            defaults: try connection.defaults(), workingDirectory: FileManager.default.currentDirectoryPath)
        let link = factory.connection(for: settings)
        do { try await link.connect() } catch {
            Diagnostics.printError("\(host.name): \(error)")
            throw ExitCode(ExitStatus.hostsUnreachable.rawValue)
        }
        let kubectl = Kubectl(
            connection: link, kubeconfig: Kubectl.adminConf, options: factory.commandOptions(for: settings))
        return (kubectl, address)
    }
}
