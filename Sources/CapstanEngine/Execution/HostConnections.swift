import Foundation

/// One connection per host for the whole run, made on first use from the host's inventory settings
/// (delegates included: `localhost` outside the inventory is a local connection).
final class HostConnections: @unchecked Sendable {
    private let factory: ConnectionFactory
    private let variables: @Sendable (String) -> ConnectionSettings
    private var connections: [String: any Connection] = [:]
    private let lock = NSLock()

    init(factory: ConnectionFactory, settings: @escaping @Sendable (String) -> ConnectionSettings) {
        self.factory = factory
        self.variables = settings
    }

    /// The host's connection (not yet opened the first time).
    func connection(for host: String) -> any Connection {
        lock.withLock {
            if let c = connections[host] { return c }
            let made = factory.connection(for: variables(host))
            let c: any Connection = RunTrace.enabled ? TracingConnection(made) : made
            connections[host] = c
            return c
        }
    }

    /// The host's inventory command options (become from `ansible_become`, CLI `-b`).
    func commandOptions(for host: String) -> CommandOptions {
        factory.commandOptions(for: variables(host))
    }

    /// The host's connection settings.
    func settings(for host: String) -> ConnectionSettings { variables(host) }

    /// Forgets a host's connection so the next use reconnects (`meta: reset_connection`).
    func reset(_ host: String) async {
        let c = lock.withLock { connections.removeValue(forKey: host) }
        await c?.close()
    }

    /// Closes every connection, all at once: a closing session may wait for the kills of commands still
    /// running (`SSHSessionLoop.settleLimit`), and those waits must not add up.
    func closeAll() async {
        let all = lock.withLock { Array(connections.values) }
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
