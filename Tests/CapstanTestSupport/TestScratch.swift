import Foundation

/// One folder for a test process's throwaway files and folders, removed when the process exits, so that a
/// test which returns or fails before its own clean-up still leaves nothing in the temporary directory.
package enum TestScratch {
    /// The folder, made on first use: `capstan-tests-<pid>` in the temporary directory.
    package static let directory: String = {
        let path = NSTemporaryDirectory() + "capstan-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.directory) }
        return path
    }()
}
