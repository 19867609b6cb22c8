import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution
@testable import CapstanOutput
@testable import CapstanTransport

/// The journal under the conditions that lost runs: many processes on a new file at once, relative
/// paths, `$HOME`, and a location that cannot be written (which must warn on every run).
@Suite struct JournalRobustnessTests {
    /// A playbook that runs on this machine only (`-i localhost,`: a local connection, no SSH).
    static let book = "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n"

    static func scratch() throws -> String {
        let dir = TestScratch.directory + "/capstan-journal-robust-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try book.write(toFile: dir + "/book.yml", atomically: true, encoding: .utf8)
        return dir
    }

    /// Starts `capstan ARGS` for each argument list at once and waits for all; (status, stderr) each.
    static func runAtOnce(_ runs: [[String]], environment: [String: String] = [:]) throws -> [(Int32, String)] {
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var pids: [pid_t] = []
        for (i, arguments) in runs.enumerated() {
            let err = open("\(dir)/\(i).err", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            defer { close(err) }
            pids.append(try PosixSpawn.start(CapstanBinary.path, arguments, stderr: err, environment: env))
        }
        return pids.enumerated().map { i, pid in
            let (status, signal) = PosixSpawn.wait(pid)
            let err = (try? String(contentsOfFile: "\(dir)/\(i).err", encoding: .utf8)) ?? ""
            return (status ?? 128 + (signal ?? 0), err)
        }
    }

    /// 20 `capstan play` runs started together on a journal that does not exist yet: every one is
    /// recorded (before: "table runs already exists" lost some). `--no-lock`: plays on one inventory
    /// would otherwise wait their turn (`InventoryLock`).
    @Test func twentyProcessesOnANewJournalAreAllRecorded() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/state/journal.sqlite"
        let runs = (0..<20).map { _ in
            ["play", "--no-lock", "-i", "localhost,", "--journal", journal, "--output", "json", dir + "/book.yml"]
        }
        let outcomes = try Self.runAtOnce(runs)
        for (status, err) in outcomes {
            #expect(status == 0)
            #expect(!err.contains("journal"), "\(err)")
        }
        let recorded = try Journal(path: journal).runs(limit: 100)
        #expect(recorded.count == 20)
        #expect(recorded.allSatisfy { $0.exitCode == 0 && $0.hosts == 1 })
    }

    /// The same in one process: threads opening the new file and writing at once.
    @Test func threadsOpeningANewJournalAtOnceAllRecord() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/journal.sqlite"
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            do {
                let journal = try Journal(path: path)
                let id = try journal.beginRun(JournalRun(kind: "adhoc", command: "run \(i)", inventory: "x"))
                try journal.record([.task(index: 1, name: "t", play: "p", playIndex: 1)], run: id)
                try journal.finishRun(id, exitCode: 0)
            } catch {
                failures.add("\(error)")
            }
        }
        #expect(failures.all.isEmpty)
        #expect(try Journal(path: path).runs(limit: 100).count == 16)
    }

    @Test func theJournalUsesWriteAheadLogging() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = try Journal(path: dir + "/journal.sqlite")
        let mode = try journal.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    /// `--journal j.sqlite` (a bare file name) is the file in the working directory.
    @Test func aRelativeJournalPathIsOpenedInTheWorkingDirectory() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try SpawnedProcess.run(
            "/bin/sh",
            [
                "-c", "cd \"$1\" && exec \"$2\" play -i localhost, --journal j.sqlite book.yml", "sh", dir,
                CapstanBinary.path,
            ])
        #expect(result.status == 0)
        #expect(!result.err.contains("journal"), "\(result.err)")
        #expect(try Journal(path: dir + "/j.sqlite").runs().count == 1)
        #expect(Journal.absolute("j.sqlite") == FileManager.default.currentDirectoryPath + "/j.sqlite")
    }

    /// `$HOME` decides the default location, not the password database; a relative `XDG_STATE_HOME`
    /// is ignored (XDG), an absolute one is used; `$CAPSTAN_JOURNAL` beats both.
    @Test func theDefaultLocationFollowsTheEnvironment() throws {
        #expect(Journal.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/capstan/journal.sqlite")
        #expect(
            Journal.defaultPath(environment: ["HOME": "/h", "XDG_STATE_HOME": "rel"])
                == "/h/.local/state/capstan/journal.sqlite")
        #expect(
            Journal.defaultPath(environment: ["HOME": "/h", "XDG_STATE_HOME": "/s"]) == "/s/capstan/journal.sqlite")
        #expect(Journal.defaultPath(environment: ["HOME": "/h", "CAPSTAN_JOURNAL": "/j.db"]) == "/j.db")

        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try CapstanBinary.run(
            ["play", "-i", "localhost,", dir + "/book.yml"],
            environment: ["CAPSTAN_JOURNAL": "", "XDG_STATE_HOME": "", "HOME": dir])
        #expect(result.status == 0)
        #expect(try Journal(path: dir + "/.local/state/capstan/journal.sqlite").runs().count == 1)
    }

    /// A journal that cannot be created warns on every run, and every run still succeeds.
    @Test func anUnwritableLocationWarnsOnEveryRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A regular file where the journal's folder should be: refused even for root.
        _ = FileManager.default.createFile(atPath: dir + "/not-a-dir", contents: Data())
        for _ in 0..<3 {
            let result = try CapstanBinary.run([
                "play", "-i", "localhost,", "--journal", dir + "/not-a-dir/j.sqlite", dir + "/book.yml",
            ])
            #expect(result.status == 0)
            #expect(result.err.contains("this run is not recorded"), "\(result.err)")
            #expect(result.err.contains("not-a-dir"))
        }
    }

    /// A journal on a full file system (a 512 KiB tmpfs in a private mount namespace, gone when the
    /// shell exits): the first run is recorded, then the disk is filled, and each later run warns with
    /// the reason and still succeeds (before: only the first warned, later ones were silently lost).
    @Test func aFullDiskWarnsOnEveryRun() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/disk", withIntermediateDirectories: true)
        let script = """
            mount -t tmpfs -o size=512k tmpfs "$1/disk" || exit 99
            "$2" play -i localhost, --journal "$1/disk/j.sqlite" "$1/book.yml" >/dev/null 2>"$1/first.err" || exit 98
            dd if=/dev/zero of="$1/disk/fill" bs=4096 2>/dev/null
            for i in 1 2 3; do "$2" play -i localhost, --journal "$1/disk/j.sqlite" "$1/book.yml" >/dev/null 2>"$1/full$i.err"; echo $? >"$1/full$i.rc"; done
            """
        let result = try SpawnedProcess.run(
            "/usr/bin/unshare",
            ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", dir, CapstanBinary.path])
        try #require(result.status != 99, "no tmpfs: \(result.err)")
        #expect(result.status == 0, "\(result.err)")
        #expect(!(try String(contentsOfFile: dir + "/first.err", encoding: .utf8).contains("journal")))
        for i in 1...3 {
            let err = try String(contentsOfFile: dir + "/full\(i).err", encoding: .utf8)
            #expect(try String(contentsOfFile: dir + "/full\(i).rc", encoding: .utf8) == "0\n")
            #expect(err.contains("run journal"), "run \(i): \(err)")
            #expect(err.contains("No space left on device") || err.contains("disk is full"), "run \(i): \(err)")
        }
    }
}

/// Error texts collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []
    func add(_ text: String) { lock.withLock { texts.append(text) } }
    var all: [String] { lock.withLock { texts } }
}
