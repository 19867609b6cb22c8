import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanInventory

/// Loading must stay linear: a 1,000-host inventory (with vars, ranges, a children section and
/// host_vars files for some hosts) loads well under 100 ms even in a debug build.
struct InventoryPerformanceTests {
    static func writeLargeInventory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-perf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("host_vars"), withIntermediateDirectories: true)
        var lines = ["[web]"]
        for i in 0..<400 {
            lines.append(
                "web-\(i) ansible_host=10.0.\(i / 250).\(i % 250) ansible_port=22 ansible_user='root' ip=10.0.0.\(i % 250)"
            )
        }
        lines.append("[db]")
        for i in 0..<300 { lines.append("db-\(i) x=[1,2] y=\"{'a': 1}\"") }
        lines += ["[gpu]", "gpu-[000:299] gpus=8", "[cluster:children]", "web", "db", "gpu", "[cluster:vars]", "k=v"]
        try lines.joined(separator: "\n").write(
            to: dir.appendingPathComponent("hosts.ini"), atomically: true, encoding: .utf8)
        for i in 0..<50 {
            try "role: db\nindex: \(i)\n".write(
                to: dir.appendingPathComponent("host_vars/db-\(i).yml"), atomically: true, encoding: .utf8)
        }
        return dir.appendingPathComponent("hosts.ini").path
    }

    static func threadCPUTime() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
    }

    @Test func thousandHostsLoadQuickly() throws {
        let path = try Self.writeLargeInventory()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var warnings: [Warning] = []
        var inventory: Inventory?
        // CPU time of this thread, best of three: wall time on a shared two-core machine measures the
        // neighbours (builds, other tests) more than the loader.
        var elapsed = Duration.seconds(60)
        for _ in 0..<3 {
            let start = Self.threadCPUTime()
            inventory = try Inventory.load(sources: [path], warnings: &warnings)
            elapsed = min(elapsed, Self.threadCPUTime() - start)
        }
        #expect(inventory?.hosts.count == 1000)
        #expect(inventory?.variables(for: Host(name: "db-7"))["index"] == 7)
        print("inventory: 1,000 hosts load in \(elapsed) of thread CPU time")
        if Bench.enabled { #expect(elapsed < .milliseconds(100), "loading took \(elapsed)") }
    }
}
