import Foundation

/// Runs the `capstan` executable that `swift build` / `swift test` built, as a user would.
package enum CapstanBinary {
    package static let path = Fixtures.packageRoot.appendingPathComponent(".build/debug/capstan").path

    /// Runs `capstan ARGS`, with the journal in a throwaway file unless the test sets one.
    package static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_JOURNAL"] = NSTemporaryDirectory() + "capstan-test-journal-\(UUID().uuidString).sqlite"
        for (k, v) in extra { env[k] = v }
        let outcome = try SpawnedProcess.run(path, arguments, environment: env)
        return (outcome.status, outcome.out, outcome.err, outcome.seconds)
    }
}
