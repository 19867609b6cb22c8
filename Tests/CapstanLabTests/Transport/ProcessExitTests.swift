import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// A process that exits while SSH session threads still run must exit cleanly. Once a full test run
/// ended in signal 11 after every test had passed (`pthread_rwlock_wrlock` on a lock libcrypto's exit
/// handler had freed, keeper and session threads still alive). The test runs this test binary again,
/// a few times, on the probe below alone: it opens sessions to a loopback sshd, leaves them pouring
/// data through libssh's decryption, and returns, so the process exits with the threads at work.
/// Measured here: without the exit handler 1 probe of 12 crashed so (exit 139); with one that shut the
/// loops down (waking their callers' tasks during teardown) 2 of 2 did; with the loops parked, 30 of 30
/// passed. The crash is a race, so a pass is evidence, not proof; `CAPSTAN_EXIT_PROBE_RUNS` runs more.
@Suite(.serialized) struct ProcessExitTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test func busySessionThreadsAreEndedBeforeTheProcessExits() throws {
        let sshd = try LoopbackSSHD()
        defer { sshd.stop() }
        let binary = try Self.testBinary()
        var env = Self.environment
        env["CAPSTAN_EXIT_PROBE_SSHD"] = sshd.directory
        env["CAPSTAN_EXIT_PROBE_PORT"] = String(sshd.port)
        env["CAPSTAN_LAB_KEEP"] = "1"
        // A crash ends the probe at once (signal 11) instead of in the backtracer, which can hang.
        env["SWIFT_BACKTRACE"] = "enable=no"
        let runs = Int(Self.environment["CAPSTAN_EXIT_PROBE_RUNS"] ?? "") ?? 6
        var statuses: [Int32] = []
        for _ in 0..<runs {
            let outcome = try SpawnedProcess.run(
                binary, ["--testing-library", "swift-testing", "--filter", "exitProbe"], environment: env)
            statuses.append(outcome.status)
            if outcome.status != 0 {
                Issue.record("probe exited \(outcome.status): \(outcome.out.suffix(2000))\(outcome.err.suffix(2000))")
            }
            #expect(outcome.out.contains("exitProbe") || outcome.err.contains("exitProbe"), "the probe did not run")
        }
        #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
    }

    /// The probe: does nothing unless the test above started this process.
    @Test func exitProbe() async throws {
        guard let directory = Self.environment["CAPSTAN_EXIT_PROBE_SSHD"],
            let port = Int(Self.environment["CAPSTAN_EXIT_PROBE_PORT"] ?? "")
        else { return }
        var endpoint = SSHEndpoint(
            host: "127.0.0.1", port: port, user: "root", privateKeyPath: directory + "/id_ed25519", connectTimeout: 5,
            knownHostsFile: directory + "/known_hosts", sshDirectory: directory + "/dot-ssh", config: .none)
        endpoint.globalKnownHostsFile = directory + "/no-global-known-hosts"
        endpoint.useAgent = false
        for _ in 0..<4 {
            let connection = SSHConnection(endpoint: endpoint)
            try await connection.connect()
            // Never awaited, never closed: still streaming when the process exits.
            // Streamed straight to the channel (`subshell`), so the session thread decrypts all the
            // while; bounded, and ended by SIGPIPE when the probe's connection goes. (A user command's
            // output goes to a file on the host until it ends: an endless one, left running by a probe
            // that exits, once filled this machine's disk.)
            let options = CommandOptions(subshell: true)
            Task { _ = try? await connection.run("dd if=/dev/zero bs=16k count=6000 2>/dev/null", options: options) }
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(SSHSessionLoops.count >= 4)
    }

    /// The test bundle this process runs from (`swift build --build-tests` puts it beside the
    /// `capstan` executable).
    static func testBinary() throws -> String {
        let dir = Fixtures.packageRoot.appendingPathComponent(".build/debug").path
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasSuffix("PackageTests.xctest")
        }
        guard let name = names.first else {
            throw HostCommand.Failure(description: "no *PackageTests.xctest in \(dir)")
        }
        return dir + "/" + name
    }
}
