import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// A throwaway `python3 -m http.server` on the lab bridge's address (the only non-loopback address
/// tests may serve on), serving a temporary directory. It runs detached (`setsid`), is found by the
/// PID the starting shell prints, and is stopped with SIGKILL.
final class BridgeHTTPServer: @unchecked Sendable {
    struct StartFailed: Error, CustomStringConvertible { var description: String }

    let directory: URL
    private(set) var pid: Int32 = 0
    private(set) var port = 0

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.path + ".log"
        let started = try Self.shell(
            "setsid python3 -u -m http.server 0 --bind \(LabNode.bridgeAddress) --directory '\(directory.path)'"
                + " >'\(log)' 2>&1 </dev/null & echo $!")
        pid = Int32(started.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        // "Serving HTTP on 10.231.x.1 port 41234 (http://...) ..."
        for _ in 0..<100 where port == 0 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            port = words.firstIndex(of: "port").flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil } ?? 0
            if port == 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        if port == 0 {
            stop()
            throw StartFailed(
                description: "http.server did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }

    /// Runs a short `/bin/sh -c` command to completion with libc's `system` and returns its output
    /// (Foundation's `Process.waitUntilExit` hangs here once a detached child outlives the shell).
    static func shell(_ command: String) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-sh-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let status = system("(\(command)) >'\(out)' </dev/null")
        guard status == 0 else { throw StartFailed(description: "\(command): status \(status)") }
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }

    var base: String { "http://\(LabNode.bridgeAddress):\(port)" }

    func write(_ text: String, _ name: String) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// `sha256sum`'s line for a served file, computed by coreutils on the controller.
    func sha256(_ name: String) throws -> String {
        try Self.shell("cd '\(directory.path)' && sha256sum '\(name)'").trimmingTrailingNewlines()
    }

    func stop() {
        if pid > 0 { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(atPath: directory.path + ".log")
    }
}

/// `get_url` on lab node 2 against a server on the lab bridge.
@Suite(.serialized) struct GetUrlModuleTests {
    static let dest = "/root/capstan-get-url"

    func fresh() async throws -> (LabNode, BridgeHTTPServer) {
        let node = try await LabNode.open(2)
        try await node.sh("rm -rf \(Self.dest) /root/capstan-get-url-dir; mkdir /root/capstan-get-url-dir")
        let server = try BridgeHTTPServer()
        try server.write("hello capstan\n", "hello.txt")
        return (node, server)
    }

    @Test func checksumDownloadIsIdempotent() async throws {
        let (node, server) = try await fresh()
        defer {
            server.stop()
            _Concurrency.Task { await node.close() }
        }
        let hash = try #require(try server.sha256("hello.txt").split(separator: " ").first)
        let args: OrderedDictionary<String, Value> = [
            "url": .string("\(server.base)/hello.txt"), "dest": .string(Self.dest),
            "checksum": .string("sha256:\(hash)"),
            "mode": "0600",
        ]
        let first = try await node.run(GetUrlModule.self, args)
        #expect(first.status == .changed)
        #expect(
            first.fields["msg"] == "OK (14 bytes)" && first.fields["status_code"] == 200
                && first.fields["mode"] == "0600")
        #expect(try await node.sh("cat \(Self.dest); stat -c %a \(Self.dest)") == "hello capstan\n600")
        let second = try await node.run(GetUrlModule.self, args)
        #expect(second.status == .ok && second.fields["msg"] == "file already exists")
    }

    @Test func withoutChecksumTheBytesDecide() async throws {
        let (node, server) = try await fresh()
        defer {
            server.stop()
            _Concurrency.Task { await node.close() }
        }
        let args: OrderedDictionary<String, Value> = [
            "url": .string("\(server.base)/hello.txt"), "dest": .string(Self.dest),
        ]
        #expect(try await node.run(GetUrlModule.self, args).status == .changed)
        #expect(try await node.run(GetUrlModule.self, args).status == .ok)
        try server.write("hello again\n", "hello.txt")
        #expect(try await node.run(GetUrlModule.self, args).status == .changed)
        #expect(try await node.sh("cat \(Self.dest)") == "hello again")
    }

    @Test func checksumFromAURLAndIntoADirectory() async throws {
        let (node, server) = try await fresh()
        defer {
            server.stop()
            _Concurrency.Task { await node.close() }
        }
        try server.write("other\n", "other.txt")
        try server.write(try server.sha256("other.txt") + "\n" + server.sha256("hello.txt") + "\n", "SHA256SUMS")
        let outcome = try await node.run(
            GetUrlModule.self,
            [
                "url": .string("\(server.base)/hello.txt"), "dest": "/root/capstan-get-url-dir/",
                "checksum": .string("sha256:\(server.base)/SHA256SUMS"),
            ])
        #expect(outcome.status == .changed)
        #expect(outcome.fields["dest"] == "/root/capstan-get-url-dir/hello.txt")
        #expect(try await node.sh("cat /root/capstan-get-url-dir/hello.txt") == "hello capstan")
    }

    @Test func failuresLeaveNothingBehind() async throws {
        let (node, server) = try await fresh()
        defer {
            server.stop()
            _Concurrency.Task { await node.close() }
        }
        let wrong = String(repeating: "0", count: 64)
        let mismatch = try await node.run(
            GetUrlModule.self,
            [
                "url": .string("\(server.base)/hello.txt"), "dest": .string(Self.dest),
                "checksum": .string("sha256:\(wrong)"),
            ])
        #expect(mismatch.status == .failed)
        #expect(
            mismatch.fields["msg"]?.stringValue?.hasPrefix(
                "The checksum for \(Self.dest) did not match \(wrong); it was ") == true)
        let missing = try await node.run(
            GetUrlModule.self, ["url": .string("\(server.base)/nope.txt"), "dest": .string(Self.dest)])
        #expect(missing.status == .failed && missing.fields["status_code"] == 404)
        #expect(missing.fields["msg"] == "Request failed: HTTP Error 404")
        #expect(
            try await node.sh("ls -A /root | grep -c capstan_get_url || true; test -e \(Self.dest) || echo none")
                == "0\nnone")
    }

    @Test func checkModeWritesNothing() async throws {
        let (node, server) = try await fresh()
        defer {
            server.stop()
            _Concurrency.Task { await node.close() }
        }
        let outcome = try await node.run(
            GetUrlModule.self, ["url": .string("\(server.base)/hello.txt"), "dest": .string(Self.dest)], check: true)
        #expect(outcome.status == .changed)
        #expect(try await node.sh("test -e \(Self.dest) || echo none") == "none")
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(GetUrlModule.self, ["url": "http://x/", "dest": "/x", "checksum": "abc"])
                == "The checksum parameter has to be in format <algorithm>:<checksum>")
        #expect(
            argumentError(GetUrlModule.self, ["url": "http://x/", "dest": "/x", "checksum": "crc32:abc"])
                == "Unsupported hash algorithm: crc32")
        #expect(argumentError(GetUrlModule.self, ["url": "http://x/"]) == "missing required arguments: dest")
    }
}
