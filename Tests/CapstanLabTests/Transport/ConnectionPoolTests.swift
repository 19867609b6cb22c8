import Foundation
import Testing

@testable import CapstanTransport

/// Lazy per-host sessions and `--forks`-bounded fan-out, against one loopback sshd standing in for
/// many hosts plus one host with nothing listening.
@Suite struct ConnectionPoolTests {
    /// Counts how many bodies run at once.
    actor Gauge {
        var current = 0
        var peak = 0
        func enter() {
            current += 1
            peak = max(peak, current)
        }
        func leave() { current -= 1 }
    }

    @Test func fanOutIsBoundedReusesSessionsAndIsolatesTheDeadHost() async throws {
        let server = try LoopbackSSHD()
        let closed = try SilentListener(listening: false)
        let pool = ConnectionPool { name in
            var endpoint = server.endpoint()
            if name == "down" { endpoint.port = closed.port }
            return SSHConnection(endpoint: endpoint)
        }
        let hosts = (1...12).map { "node\($0)" } + ["down"]
        let gauge = Gauge()
        let results = await pool.run(hosts, limit: 4) { _, connection in
            await gauge.enter()
            let output = await Result(catching: { try await connection.run("sleep 0.1; echo up").stdoutText })
            await gauge.leave()
            return try output.get()
        }
        #expect(results.map(\.host) == hosts)
        for (host, result) in results.dropLast() {
            #expect((try? result.get()) == "up\n", "\(host)")
        }
        guard case .failure(let error as ConnectionError) = results.last!.result else {
            Issue.record("the host with nothing listening did not fail")
            return
        }
        #expect(error == .connectionRefused(host: "127.0.0.1", port: closed.port))
        #expect(await gauge.peak <= 4)
        let first = try await pool.connection(for: "node1")
        let again = try await pool.connection(for: "node1")
        #expect(first === again)
        await pool.closeAll()
    }
}

extension Result where Failure == Error {
    /// Captures an async throwing call's outcome.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
