import CapstanTestSupport
import Foundation

/// Runs `capstan play` on a playbook text against the output fixtures' local inventory (both hosts
/// run on this machine), so engine behaviour can be checked without a lab.
enum LocalPlay {
    static func run(_ book: String, _ arguments: [String] = []) throws
        -> (status: Int32, out: String, err: String, seconds: Double)
    {
        let dir = TestScratch.directory + "/capstan-local-play-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        let inventory = Fixtures.url("output").appendingPathComponent("inventory.ini").path
        return try CapstanBinary.run(
            ["play", "-i", inventory, "--forks", "1", "--no-journal"] + arguments + ["\(dir)/book.yml"])
    }
}
