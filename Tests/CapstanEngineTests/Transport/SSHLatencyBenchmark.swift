import Foundation
import Testing

@testable import CapstanEngine

/// The libssh half of `bench/ssh-latency`: runs only when that script sets `CAPSTAN_BENCH_HOSTS`
/// (`address:port,...`), `CAPSTAN_BENCH_KEY` and `CAPSTAN_BENCH_KNOWN_HOSTS`, and prints `BENCH` lines.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAPSTAN_BENCH_HOSTS"] != nil, "run by bench/ssh-latency"))
struct SSHLatencyBenchmark {
    @Test func perCommandAndFanOutLatency() async throws {
        let environment = ProcessInfo.processInfo.environment
        let targets = environment["CAPSTAN_BENCH_HOSTS"]!.split(separator: ",").map { item -> (String, Int) in
            let parts = item.split(separator: ":")
            return (String(parts[0]), Int(parts[1])!)
        }
        let sshDirectory = try HostCommand.temporaryDirectory("bench-ssh")
        let connections = targets.map { host, port in
            var endpoint = SSHEndpoint(
                host: host, port: port, user: "root", privateKeyPath: environment["CAPSTAN_BENCH_KEY"],
                connectTimeout: 5, knownHostsFile: environment["CAPSTAN_BENCH_KNOWN_HOSTS"],
                sshDirectory: sshDirectory, config: .none)
            endpoint.globalKnownHostsFile = sshDirectory + "/none"
            endpoint.useAgent = false
            return SSHConnection(endpoint: endpoint)
        }
        let connectStart = ContinuousClock.now
        try await connections[0].connect()
        report("connect_ms", ContinuousClock.now - connectStart)
        for connection in connections { try await connection.connect() }

        var single: [Duration] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            let result = try await connections[0].run("true")
            single.append(ContinuousClock.now - start)
            #expect(result.exitStatus == 0)
        }
        report("command_median_ms", median(single))

        var fanOut: [Duration] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Int32?.self) { group in
                for connection in connections { group.addTask { try await connection.run("true").exitStatus } }
                for try await status in group { #expect(status == 0) }
            }
            fanOut.append(ContinuousClock.now - start)
        }
        report("fanout_median_ms", median(fanOut))
        for connection in connections { await connection.close() }
    }

    private func median(_ samples: [Duration]) -> Duration {
        samples.sorted()[samples.count / 2]
    }

    private func report(_ name: String, _ value: Duration) {
        print(String(format: "BENCH %@ %.3f", name, Double(value / .microseconds(1)) / 1000))
    }
}
