import CapstanModules
import CapstanResults
import CapstanTestSupport
import CapstanTransport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// The file modules over a real SSH connection to a lab node: file bytes travel on the command's
/// stdin (several files one after another for a tree), `fetch` brings bytes back, and the round-trip
/// budgets hold on the wire too.
@Suite struct FilesOverSSHTests {
    final class Node: @unchecked Sendable {
        let ssh: SSHConnection
        let recorder: RecordingConnection

        init() async throws {
            let node = try LabNodes.up(1)[0]
            ssh = SSHConnection(endpoint: node.endpoint)
            try await ssh.connect()
            recorder = RecordingConnection(ssh)
        }

        func run(_ module: String, _ args: OrderedDictionary<String, Value>, searchPaths: [String] = [])
            async throws -> ModuleOutcome
        {
            recorder.reset()
            let instance = try ModuleRegistry.standard.instantiate(module, arguments: args)
            let context = ModuleContext(
                host: "node-01", connection: recorder, diffMode: true, searchPaths: searchPaths)
            return try await instance.run(in: context)
        }
    }

    /// 300 kB of varied bytes, so that a transfer cut or shifted by one block shows.
    static func bytes(_ seed: Int) -> [UInt8] {
        (0..<300_000).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 3) ^ seed) }
    }

    @Test func copyEditFetchAndStatOverSSH() async throws {
        let node = try await Node()
        let base = "/tmp/capstan-files-ssh"
        _ = try await node.ssh.run("rm -rf \(base) && mkdir -p \(base)")
        let sandbox = try FileSandbox()
        try FileManager.default.createDirectory(atPath: sandbox.path("tree/sub"), withIntermediateDirectories: true)
        let big = Self.bytes(1)
        let big2 = Self.bytes(2)
        try Data(big).write(to: URL(fileURLWithPath: sandbox.path("tree/big.bin")))
        try Data(big2).write(to: URL(fileURLWithPath: sandbox.path("tree/sub/big2.bin")))
        try sandbox.write("tree/sub/small.txt", "small\n")

        for pass in 0..<2 {
            let expected: TaskStatus = pass == 0 ? .changed : .ok
            let tree = try await node.run(
                "copy", ["src": "tree", "dest": .string(base + "/")], searchPaths: [sandbox.root.path])
            #expect(tree.status == expected)
            #expect(node.recorder.roundTrips == (pass == 0 ? 2 : 1))
            let content = try await node.run(
                "copy", ["content": "a\n", "dest": .string(base + "/conf"), "mode": "0600"])
            #expect(content.status == expected)
            let line = try await node.run(
                "lineinfile", ["path": .string(base + "/edited"), "line": "b", "create": true, "mode": "0640"])
            #expect(line.status == expected)
            #expect(node.recorder.roundTrips <= 2)
            let dir = try await node.run(
                "file", ["path": .string(base + "/d/e"), "state": "directory", "mode": "0700"])
            #expect(dir.status == expected)
            let fetched = try await node.run(
                "fetch", ["src": .string(base + "/tree/big.bin"), "dest": .string(sandbox.path("fetched"))])
            #expect(fetched.status == expected)
        }
        let sums = try await node.ssh.run(
            "sha1sum \(base)/tree/big.bin \(base)/tree/sub/big2.bin; cat \(base)/conf \(base)/edited")
        #expect(sums.stdoutText.contains(Self.hex(big)))
        #expect(sums.stdoutText.contains(Self.hex(big2)))
        #expect(sums.stdoutText.hasSuffix("a\nb\n"))
        let local = try Data(contentsOf: URL(fileURLWithPath: sandbox.path("fetched/node-01\(base)/tree/big.bin")))
        #expect(Array(local) == big)
        let stat = try await node.run("stat", ["path": .string(base + "/conf")])
        #expect(stat.fields["stat"]?.dictValue?["mode"] == "0600")
        #expect(node.recorder.roundTrips == 1)
        _ = try await node.ssh.run("rm -rf \(base)")
        await node.ssh.close()
    }

    /// SHA-1 hex by the host's `sha1sum`, an independent check of the node's.
    static func hex(_ bytes: [UInt8]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha1sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(40))
    }
}
