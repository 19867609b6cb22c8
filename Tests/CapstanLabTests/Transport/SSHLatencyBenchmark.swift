import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// The libssh half of `bench/ssh-latency`: runs only when that script sets `CAPSTAN_BENCH_HOSTS`
/// (`address:port,...`), `CAPSTAN_BENCH_KEY` and `CAPSTAN_BENCH_KNOWN_HOSTS`, and prints `BENCH` lines.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAPSTAN_BENCH_HOSTS"] != nil, "run by bench/ssh-latency"))
struct SSHLatencyBenchmark {
    /// Measures with resident shells off (`channel_*` lines) and on (`resident_*` lines).
    @Test(arguments: [false, true]) func perCommandAndFanOutLatency(resident: Bool) async throws {
        let environment = ProcessInfo.processInfo.environment
        let targets = environment["CAPSTAN_BENCH_HOSTS"]!.split(separator: ",").map { item -> (String, Int) in
            let parts = item.split(separator: ":")
            return (String(parts[0]), Int(parts[1])!)
        }
        let prefix = resident ? "resident_" : "channel_"
        let sshDirectory = try HostCommand.temporaryDirectory("bench-ssh")
        let connections = targets.map { host, port in
            var endpoint = SSHEndpoint(
                host: host, port: port, user: "root", privateKeyPath: environment["CAPSTAN_BENCH_KEY"],
                connectTimeout: 5, knownHostsFile: environment["CAPSTAN_BENCH_KNOWN_HOSTS"],
                sshDirectory: sshDirectory, config: .none)
            endpoint.globalKnownHostsFile = sshDirectory + "/none"
            endpoint.useAgent = false
            endpoint.residentShell = resident
            return SSHConnection(endpoint: endpoint)
        }
        let connectStart = ContinuousClock.now
        try await connections[0].connect()
        report(prefix + "connect_ms", ContinuousClock.now - connectStart)
        for connection in connections { try await connection.connect() }
        // Warm up: the first command of a resident shell also starts the shell.
        for connection in connections { _ = try await connection.run("true") }

        var single: [Duration] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            let result = try await connections[0].run("true")
            single.append(ContinuousClock.now - start)
            #expect(result.exitStatus == 0)
        }
        report(prefix + "command_median_ms", median(single))

        // A command that prints: through a resident shell this adds `stat` and `cat` on the node.
        var printing: [Duration] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            let result = try await connections[0].run("echo x; echo y >&2")
            printing.append(ContinuousClock.now - start)
            #expect(result.stdoutText == "x\n")
        }
        report(prefix + "printing_command_median_ms", median(printing))

        var fanOut: [Duration] = []
        for _ in 0..<50 {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Int32?.self) { group in
                for connection in connections { group.addTask { try await connection.run("true").exitStatus } }
                for try await status in group { #expect(status == 0) }
            }
            fanOut.append(ContinuousClock.now - start)
        }
        report(prefix + "fanout_median_ms", median(fanOut))
        for connection in connections { await connection.close() }
    }

    private func median(_ samples: [Duration]) -> Duration {
        samples.sorted()[samples.count / 2]
    }

    private func report(_ name: String, _ value: Duration) {
        print(String(format: "BENCH %@ %.3f", name, Double(value / .microseconds(1)) / 1000))
    }
}
