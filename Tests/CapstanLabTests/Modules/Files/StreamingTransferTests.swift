import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanResults
@testable import CapstanTransport

/// `copy`, `fetch` and copied trees with files far larger than a transfer chunk, over a loopback sshd:
/// through SFTP, through commands (no SFTP subsystem), and through sudo (become). The server runs on
/// this machine, so what it wrote is checked on the local disk. Also: a full disk on the node is
/// reported with its reason, and a 64 MiB copy by `capstan play` stays within a bounded memory.
@Suite struct StreamingTransferTests {
    /// `count` random bytes written to `path` (by `head`: generating them here is slow in a debug
    /// build); returns their SHA-1.
    @discardableResult
    static func writeRandomFile(_ path: String, count: Int) throws -> String {
        let made = try SpawnedProcess.run(
            "/bin/sh", ["-c", "head -c \(count) /dev/urandom > \"$1\"", "sh", path])
        guard made.status == 0 else { throw HostCommand.Failure(description: "head: \(made.err)") }
        return try sha1(path)
    }

    static func sha1(_ path: String) throws -> String {
        let out = try SpawnedProcess.run("/usr/bin/sha1sum", [path]).out
        return String(out.prefix(40))
    }

    /// Runs `module` on `connection` as a task would, searching `searchPath` for `src`.
    static func run(
        _ module: String, _ arguments: OrderedDictionary<String, Value>, on connection: any Connection,
        become: Bool = false, searchPath: String
    ) async throws -> ModuleOutcome {
        let instance = try ModuleRegistry.standard.instantiate(module, arguments: arguments)
        var context = ModuleContext(host: "loop", connection: connection)
        context.searchPaths = [searchPath]
        context.commandOptions = CommandOptions(become: become ? Become() : nil, subshell: true)
        return try await instance.run(in: context)
    }

    /// Copies a 9 MiB + 12345 byte file (many SFTP and command chunks, not a multiple of either), a tree
    /// holding another, and fetches the first back; then again, unchanged; then with new content.
    private func copyAndFetch(sftp: Bool, become: Bool) async throws {
        let server = try LoopbackSSHD(sftp: sftp)
        let connection = SSHConnection(endpoint: server.endpoint())
        defer { Task { await connection.close() } }
        let local = server.directory + "/local"
        try FileManager.default.createDirectory(atPath: local + "/tree/sub", withIntermediateDirectories: true)
        let size = 9 << 20 + 12345
        var sum = try Self.writeRandomFile(local + "/big.bin", count: size)
        let treeSum = try Self.writeRandomFile(local + "/tree/sub/inner.bin", count: 3 << 20)
        let out = server.directory + "/out/"
        let fetched = server.directory + "/fetched/big.bin"
        for pass in 0..<3 {
            if pass == 2 { sum = try Self.writeRandomFile(local + "/big.bin", count: size) }
            let expected: TaskStatus = pass == 1 ? .ok : .changed
            let copy = try await Self.run(
                "copy", ["src": "big.bin", "dest": .string(out), "mode": "0640"], on: connection, become: become,
                searchPath: local)
            #expect(copy.status == expected, "pass \(pass): \(copy.fields)")
            #expect(copy.fields["checksum"]?.stringValue == sum)
            #expect(try Self.sha1(out + "big.bin") == sum)
            let mode = try FileManager.default.attributesOfItem(atPath: out + "big.bin")[.posixPermissions] as? Int
            #expect(mode == 0o640)
            if pass != 1 {
                #expect(copy.fields["md5sum"]?.stringValue?.count == 32)
            }
            let tree = try await Self.run(
                "copy", ["src": "tree", "dest": .string(out)], on: connection, become: become, searchPath: local)
            #expect(tree.status == (pass == 0 ? .changed : .ok), "pass \(pass): \(tree.fields)")
            #expect(try Self.sha1(out + "tree/sub/inner.bin") == treeSum)
            let fetch = try await Self.run(
                "fetch", ["src": .string(out + "big.bin"), "dest": .string(fetched), "flat": true], on: connection,
                become: become, searchPath: local)
            #expect(fetch.status == expected, "pass \(pass): \(fetch.fields)")
            #expect(try Self.sha1(fetched) == sum)
        }
        // A size that is a whole number of transfer chunks (3 MiB): the end shows as an empty read.
        let inner = try await Self.run(
            "fetch", ["src": .string(out + "tree/sub/inner.bin"), "dest": .string(fetched + ".inner"), "flat": true],
            on: connection, become: become, searchPath: local)
        #expect(inner.status == .changed, "\(inner.fields)")
        #expect(try Self.sha1(fetched + ".inner") == treeSum)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.contains("capstan") }
        #expect(leftovers.isEmpty)
    }

    @Test func largeFilesOverSFTP() async throws {
        try await copyAndFetch(sftp: true, become: false)
    }

    @Test func largeFilesThroughCommandsWithoutSFTP() async throws {
        try await copyAndFetch(sftp: false, become: false)
    }

    @Test func largeFilesThroughSudo() async throws {
        try await copyAndFetch(sftp: true, become: true)
    }

    /// A node whose disk is full: the failure names the reason, for a streamed file (SFTP and
    /// commands) and for a small one that travels in the write command's input.
    @Test(arguments: [true, false]) func aFullDiskOnTheNodeSaysSo(sftp: Bool) async throws {
        let server = try LoopbackSSHD(
            sftp: sftp, namespaceSetup: "mkdir -p \"$D/small\" && mount -t tmpfs -o size=512k tmpfs \"$D/small\"")
        let connection = SSHConnection(endpoint: server.endpoint())
        defer { Task { await connection.close() } }
        let local = server.directory + "/local"
        try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
        try Self.writeRandomFile(local + "/big.bin", count: 3 << 20)
        try Self.writeRandomFile(local + "/medium.bin", count: 700_000)
        for name in ["big.bin", "medium.bin"] {
            let copy = try await Self.run(
                "copy", ["src": .string(name), "dest": .string(server.directory + "/small/" + name)], on: connection,
                searchPath: local)
            #expect(copy.status == .failed)
            #expect(copy.msg.contains("could not"), "\(copy.msg)")
            #expect(copy.msg.contains("No space left on device"), "\(name): \(copy.msg)")
        }
    }

    /// `capstan play` copying 64 MiB to the loopback server: peak RSS stays far below the file's size
    /// (before: the file was held several times over, 2.4 GB for 200 MB to two hosts).
    @Test func copyingALargeFileKeepsMemoryBounded() throws {
        let server = try LoopbackSSHD()
        let dir = server.directory + "/play"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let sum = try Self.writeRandomFile(dir + "/big.bin", count: 64 << 20)
        try """
        loop ansible_host=127.0.0.1 ansible_port=\(server.port) ansible_user=root ansible_ssh_private_key_file=\(server.clientKey)

        """.write(toFile: dir + "/hosts.ini", atomically: true, encoding: .utf8)
        try """
        - hosts: loop
          gather_facts: false
          tasks:
            - copy: src=big.bin dest=\(server.directory)/copied.bin

        """.write(toFile: dir + "/book.yml", atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["SSH_AUTH_SOCK"] = nil
        environment["HOME"] = server.directory
        // GNU time reports the peak RSS of capstan alone: measured from this (large) test process
        // instead, the high-water mark would include this process's pages the child saw before exec.
        let measured = dir + "/peak-kb"
        let pid = try PosixSpawn.start(
            "/usr/bin/time",
            [
                "-o", measured, "-f", "%M", CapstanBinary.path, "play", "-i", dir + "/hosts.ini", "--known-hosts",
                server.knownHosts, "--no-journal", dir + "/book.yml",
            ],
            environment: environment)
        let (status, _) = PosixSpawn.wait(pid)
        #expect(status == 0)
        #expect(try Self.sha1(server.directory + "/copied.bin") == sum)
        let peakKB = Int(
            try String(contentsOfFile: measured, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        let peakMB = (peakKB ?? Int.max) / 1024
        #expect(peakMB < 100, "peak RSS \(peakMB) MB")
    }
}
