import CapstanBasics

/// One connection per host for the whole run, opened lazily on first use and shared by every task
/// that asks for that host afterwards (concurrent first requests share the same connect).
public actor ConnectionPool {
    /// Makes the (not yet connected) connection for an inventory host name.
    public typealias Factory = @Sendable (String) throws -> any Connection

    private let factory: Factory
    private var opened: [String: Task<any Connection, Error>] = [:]

    /// Creates a pool that builds connections with `factory`.
    public init(factory: @escaping Factory) {
        self.factory = factory
    }

    /// The host's connection, connected. A failed connect is remembered: the host stays unreachable
    /// for this run rather than being retried by every task.
    public func connection(for host: String) async throws -> any Connection {
        if let existing = opened[host] { return try await existing.value }
        let factory = self.factory
        let task = Task<any Connection, Error> {
            let connection = try factory(host)
            try await connection.connect()
            return connection
        }
        opened[host] = task
        return try await task.value
    }

    /// Closes every connection that was opened, all at once (one after another, each waiting for its
    /// session thread, took 30 ms for 10 hosts: 5% of a short run).
    public func closeAll() async {
        let tasks = opened.values
        opened = [:]
        await withTaskGroup(of: Void.self) { group in
            for task in tasks {
                group.addTask { if let connection = try? await task.value { await connection.close() } }
            }
        }
    }
}

extension ConnectionPool {
    /// Calls `body` for each host with its pooled connection, at most `limit` hosts at once (Ansible's
    /// `--forks`); returns each host's outcome in `hosts` order. A host whose connection fails gets the
    /// connection error and does not stop the others.
    public nonisolated func run<T: Sendable>(
        _ hosts: [String], limit: Int, _ body: @escaping @Sendable (String, any Connection) async throws -> T
    ) async -> [(host: String, result: Result<T, Error>)] {
        let results = await BoundedConcurrency.map(hosts, limit: limit) { host -> Result<T, Error> in
            do {
                let connection = try await self.connection(for: host)
                return .success(try await body(host, connection))
            } catch {
                return .failure(error)
            }
        }
        return zip(hosts, results).map { (host: $0, result: $1) }
    }
}
