import Foundation

/// Runs the `capstan` executable that `swift build` / `swift test` built, as a user would.
enum CapstanBinary {
    static let path = Fixtures.packageRoot.appendingPathComponent(".build/debug/capstan").path

    /// Runs `capstan ARGS`, with the journal in a throwaway file unless the test sets one.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_JOURNAL"] = NSTemporaryDirectory() + "capstan-test-journal-\(UUID().uuidString).sqlite"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        // Read both pipes at once so neither fills up and blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self),
            Date().timeIntervalSince(start)
        )
    }
}
