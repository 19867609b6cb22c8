import CapstanBasics
import CapstanInventory
import CapstanOutput
import CapstanTransport
import Foundation

/// One connection per host and connection plugin for the whole run, made on first use from the
/// host's inventory settings (delegates included: `localhost` outside the inventory is a local
/// connection). A play or task that chooses another plugin (`connection: local`,
/// `-e ansible_connection=local`) gets a connection of that kind beside the inventory's.
final class HostConnections: @unchecked Sendable {
    private let factory: ConnectionFactory
    private let variables: @Sendable (String) -> ConnectionSettings
    /// Per host: the inventory's plugin, and the connection made for each plugin used so far.
    private var connections: [String: (inventoryKind: String, byKind: [String: any Connection])] = [:]
    private let lock = NSLock()

    init(factory: ConnectionFactory, settings: @escaping @Sendable (String) -> ConnectionSettings) {
        self.factory = factory
        self.variables = settings
    }

    /// The host's connection for plugin `kind` (nil: the inventory's), not yet opened the first time.
    func connection(for host: String, kind: String? = nil) -> any Connection {
        lock.withLock {
            var entry =
                connections[host] ?? (
                    inventoryKind: ConnectionChoice.normalized(variables(host).connection), byKind: [:]
                )
            let chosen = kind ?? entry.inventoryKind
            if let c = entry.byKind[chosen] { return c }
            var settings = variables(host)
            settings.connection = chosen
            let made = factory.connection(for: settings)
            let c: any Connection = RunTrace.enabled ? TracingConnection(made) : made
            entry.byKind[chosen] = c
            connections[host] = entry
            return c
        }
    }

    /// The host's inventory command options (become from `ansible_become`, CLI `-b`).
    func commandOptions(for host: String) -> CommandOptions {
        factory.commandOptions(for: variables(host))
    }

    /// The host's connection settings.
    func settings(for host: String) -> ConnectionSettings { variables(host) }

    /// Forgets a host's connections so the next use reconnects (`meta: reset_connection`).
    func reset(_ host: String) async {
        let gone = lock.withLock { connections.removeValue(forKey: host)?.byKind.values.map { $0 } ?? [] }
        for c in gone { await c.close() }
    }

    /// Closes every connection, all at once: a closing session may wait for the kills of commands still
    /// running (`SSHSessionLoop.settleLimit`), and those waits must not add up.
    func closeAll() async {
        let all = lock.withLock { connections.values.flatMap { $0.byKind.values } }
        await withTaskGroup(of: Void.self) { group in
            for c in all { group.addTask { await c.close() } }
        }
    }
}

/// Serialises events from hosts running in parallel, as `OutputSink` requires.
final class SerialSink: OutputSink, @unchecked Sendable {
    private let inner: any OutputSink
    private let lock = NSLock()

    init(_ inner: any OutputSink) { self.inner = inner }

    func emit(_ event: RunEvent) { lock.withLock { inner.emit(event) } }
}
