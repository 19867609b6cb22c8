import Foundation

/// Runs the `capstan` executable that `swift build` / `swift test` built, as a user would.
package enum CapstanBinary {
    package static let path = Fixtures.packageRoot.appendingPathComponent(".build/debug/capstan").path

    /// Runs `capstan ARGS`, with the journal in a throwaway file unless the test sets one.
    package static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        let journal = throwawayJournalPath()
        defer { removeJournal(at: journal) }
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_JOURNAL"] = journal
        for (k, v) in extra { env[k] = v }
        let outcome = try SpawnedProcess.run(path, arguments, environment: env)
        return (outcome.status, outcome.out, outcome.err, outcome.seconds)
    }

    /// A journal path of its own in the temporary folder, so runs never share state.
    package static func throwawayJournalPath() -> String {
        TestScratch.directory + "/capstan-test-journal-\(UUID().uuidString).sqlite"
    }

    /// Removes a throwaway journal with SQLite's write-ahead log and shared-memory files beside it.
    package static func removeJournal(at path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }
}
