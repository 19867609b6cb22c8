import Foundation

@testable import CapstanTransport

/// Runs a local program to completion for tests, through posix_spawn with files for output.
///
/// Not Foundation's `Process`: it takes an sshd-style child that closes its descriptors for exited
/// and can then block on another child's exit; and not pipes: daemons a command leaves running
/// (the lab's nodes) would hold a pipe open for ever.
package enum SpawnedProcess {
    package struct Outcome {
        package var status: Int32
        package var out: String
        package var err: String
        package var seconds: Double
    }

    package static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws
        -> Outcome
    {
        let scratch = TestScratch.directory + "/capstan-spawn-" + UUID().uuidString
        defer {
            unlink(scratch + ".out")
            unlink(scratch + ".err")
        }
        let out = open(scratch + ".out", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let err = open(scratch + ".err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let start = Date()
        let pid: pid_t
        do {
            defer {
                close(out)
                close(err)
            }
            pid = try PosixSpawn.start(path, arguments, stdin: nil, stdout: out, stderr: err, environment: environment)
        }
        let (status, signal) = PosixSpawn.wait(pid)
        return Outcome(
            status: status ?? (128 + (signal ?? 0)),
            out: (try? String(contentsOfFile: scratch + ".out", encoding: .utf8)) ?? "",
            err: (try? String(contentsOfFile: scratch + ".err", encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start))
    }
}
