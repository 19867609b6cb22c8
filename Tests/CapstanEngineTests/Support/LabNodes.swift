import Foundation

@testable import CapstanEngine

/// The lab's test nodes (Tests/lab/lab) for tests that change system state. The first caller brings
/// the lab up (`lab up N`, idempotent); the lab's directory, bridge and subnet come from
/// `CAPSTAN_LAB_DIR`, `CAPSTAN_LAB_BRIDGE` and `CAPSTAN_LAB_SUBNET` as for the script itself. If the lab
/// cannot come up the caller gets an error, so a test that needs it fails instead of skipping.
enum LabNodes {
    /// Why the lab could not be used.
    struct LabError: Error, CustomStringConvertible {
        var description: String
    }

    /// The lab directory (key, known_hosts).
    static let directory = ProcessInfo.processInfo.environment["CAPSTAN_LAB_DIR"] ?? "/var/lib/capstan-lab"
    /// The first three octets of the lab's addresses.
    static let subnet = ProcessInfo.processInfo.environment["CAPSTAN_LAB_SUBNET"] ?? "10.231.0"
    /// The bridge's address on the host: the only non-loopback address tests may serve on.
    static var bridgeAddress: String { "\(subnet).1" }

    nonisolated(unsafe) private static var nodesUp = 0
    private static let lock = NSLock()

    /// Makes sure at least `count` nodes run; returns their SSH endpoints (node 1 first).
    static func endpoints(_ count: Int) throws -> [SSHEndpoint] {
        try lock.withLock {
            if nodesUp < count {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = [
                    "bash", Fixtures.packageRoot.appendingPathComponent("Tests/lab/lab").path, "up", "\(count)",
                ]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                guard process.terminationStatus == 0 else {
                    throw LabError(description: "lab up \(count) failed: \(text)")
                }
                nodesUp = count
            }
        }
        return (1...count).map { i in
            SSHEndpoint(
                host: "\(subnet).\(10 + i)", user: "root", privateKeyPath: "\(directory)/id_ed25519",
                knownHostsFile: "\(directory)/known_hosts", config: .none)
        }
    }

    /// An open connection to node `index` (1-based).
    static func connection(_ index: Int) async throws -> SSHConnection {
        let endpoint = try endpoints(index)[index - 1]
        let connection = SSHConnection(endpoint: endpoint)
        try await connection.connect()
        return connection
    }
}
