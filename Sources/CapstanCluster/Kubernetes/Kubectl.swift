import CapstanBasics
import CapstanExecution
import CapstanInventory
import CapstanTransport
import Foundation

/// kubectl as Capstan's commands run it (`capstan ml`, `capstan experiments`): on the first
/// control-plane node over the engine's connection with kubeadm's `/etc/kubernetes/admin.conf`, or
/// on this machine with a fetched kubeconfig. Manifests go on standard input, never on the command
/// line, so secrets in them stay out of process listings and logs.
public struct Kubectl: Sendable {
    /// The kubeconfig kubeadm leaves on control-plane nodes.
    public static let adminConf = "/etc/kubernetes/admin.conf"
    /// The canonical group of control-plane hosts, then the older name inventories still use.
    public static let controlPlaneGroups = ["kube_control_plane", "kube-master"]

    /// Where kubectl runs.
    public let connection: any Connection
    /// The kubeconfig path on that machine.
    public let kubeconfig: String
    /// Become and environment settings for each command (from the host's inventory settings).
    public let options: CommandOptions

    /// kubectl over `connection` with `kubeconfig`.
    public init(connection: any Connection, kubeconfig: String, options: CommandOptions = CommandOptions()) {
        self.connection = connection
        self.kubeconfig = kubeconfig
        self.options = options
    }

    /// kubectl on the first host of `kube_control_plane` (or `kube-master`), connected as the
    /// inventory says (become included, since admin.conf is root's).
    public static func onControlPlane(
        inventorySources: [String], defaults: ConnectionFactory.Defaults, warnings: inout [Warning]
    ) throws -> Kubectl {
        let inventory = try Inventory.load(sources: inventorySources, warnings: &warnings)
        guard let group = controlPlaneGroups.first(where: { inventory.group(named: $0) != nil }),
            let host = try inventory.hosts(matching: group, warnings: &warnings).first
        else {
            throw NoControlPlaneError(groups: controlPlaneGroups)
        }
        let factory = ConnectionFactory(defaults: defaults, workingDirectory: FileManager.default.currentDirectoryPath)
        let settings = inventory.connectionSettings(for: host)
        return Kubectl(
            connection: factory.connection(for: settings), kubeconfig: adminConf,
            options: factory.commandOptions(for: settings))
    }

    /// kubectl on this machine (found on PATH) with `kubeconfig`.
    public static func local(kubeconfig: String) -> Kubectl {
        let path =
            kubeconfig.hasPrefix("/")
            ? kubeconfig : FileManager.default.currentDirectoryPath + "/" + kubeconfig
        return Kubectl(connection: LocalConnection(), kubeconfig: path)
    }

    /// Runs `kubectl ARGS` with `stdin`, stopped after `timeout`; a kubectl that is missing exits
    /// 127 with a message saying so.
    public func run(_ arguments: [String], stdin: String? = nil, timeout: Duration? = nil) async throws
        -> CommandResult
    {
        try await connection.connect()
        var options = self.options
        if let stdin { options.stdin = Array(stdin.utf8) }
        options.timeout = timeout
        let line =
            "command -v kubectl >/dev/null 2>&1 || { echo 'kubectl not found on \(connection.host)' >&2; exit 127; }\n"
            + "KUBECONFIG=" + ShellWords.quote(kubeconfig) + " exec kubectl " + ShellWords.join(arguments)
        return try await connection.run(line, options: options)
    }

    /// Like `run`, but a non-zero exit is a `KubectlError` with kubectl's own message.
    public func check(_ arguments: [String], stdin: String? = nil, timeout: Duration? = nil) async throws -> String {
        let result = try await run(arguments, stdin: stdin, timeout: timeout)
        guard result.succeeded else {
            let message = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubectlError(
                "kubectl \(arguments.first ?? "") failed (exit \(result.returnCode)) on \(connection.host): \(message)")
        }
        return result.stdoutText
    }

    /// Runs kubectl and parses its standard output as JSON (`-o json` is the caller's to pass).
    public func json(_ arguments: [String], timeout: Duration? = .seconds(60)) async throws -> Value {
        let text = try await check(arguments, timeout: timeout)
        do { return try Value(jsonText: text) } catch {
            throw KubectlError("kubectl \(arguments.first ?? "") printed no JSON: \(error)")
        }
    }

    /// Closes the connection.
    public func close() async { await connection.close() }
}

/// kubectl could not be run, or said no.
public struct KubectlError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The inventory names no control-plane host to run kubectl on (commands exit 8, as when no host
/// matches a pattern).
public struct NoControlPlaneError: Error, Sendable, CustomStringConvertible {
    /// The groups that were looked in.
    public var groups: [String]
    public var description: String {
        "the inventory has no host in \(groups.joined(separator: " or ")) to run kubectl on"
    }
}
