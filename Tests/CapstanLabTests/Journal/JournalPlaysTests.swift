import CapstanTestSupport
import Foundation
import GRDB
import Testing

@testable import CapstanOutput
@testable import CapstanResults

/// Runs of several plays in the journal: every task of every play is its own row, labelled with its
/// play, whatever numbering the events carry; journals written before plays were recorded still read.
@Suite struct JournalPlaysTests {
    /// Two plays whose tasks both count from 1 (as each play's runtime once numbered them): the second
    /// play's tasks must not take the first play's rows.
    @Test func tasksOfTwoPlaysWithTheSameIndexKeepTheirOwnRows() throws {
        let journal = try Journal(path: TemporaryJournal.path())
        let sink = try JournalSink(
            journal: journal, run: JournalRun(kind: "play", command: "site.yml", inventory: "hosts.ini")
        ) { _ in }
        sink.emit(.runStarted(name: "site.yml", hosts: ["a"]))
        for (play, tasks) in [("prepare", ["Install containerd", "Start it"]), ("join", ["Joined node Ready"])] {
            sink.emit(.playStarted(PlayInfo(name: play, hosts: ["a"])))
            for (i, task) in tasks.enumerated() {
                sink.emit(.taskStarted(TaskInfo(name: task, index: i + 1, play: play)))
                sink.emit(
                    .hostResult(
                        HostResult(host: "a", status: .ok, fields: [:], duration: .milliseconds(5), module: "debug")))
            }
        }
        sink.finish(exitCode: 0)
        let (_, results) = try #require(try journal.results(ofRun: sink.id))
        #expect(results.map(\.taskName) == ["Install containerd", "Start it", "Joined node Ready"])
        #expect(results.map(\.taskIndex) == [1, 2, 3])
        #expect(results.map(\.playIndex) == [1, 1, 2])
        #expect(results.map(\.playName) == ["prepare", "prepare", "join"])
    }

    /// A version-1 journal (tasks without a play column) is brought up to date on open; its rows read
    /// with no play, and `runs show` marks that with `-`.
    @Test func aJournalWithoutPlaysIsUpgradedAndStillReads() throws {
        let path = TemporaryJournal.path()
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: JournalSchema.steps[0])
            try db.execute(
                sql: "INSERT INTO runs (started_at, kind, command, inventory) VALUES (0, 'play', 'site.yml', 'h')")
            try db.execute(sql: "INSERT INTO tasks (run_id, task_index, name, play) VALUES (1, 1, 'old task', 'p')")
            try db.execute(
                sql: """
                    INSERT INTO results (run_id, task_index, host, status, module, duration_ms, result_json, recorded_at)
                    VALUES (1, 1, 'a', 'ok', 'debug', 1.5, '{}', 0)
                    """)
        }
        try old.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 1") }
        try old.close()

        let journal = try Journal(path: path)
        let (summary, results) = try #require(try journal.results(ofRun: 1))
        #expect(results.map(\.taskName) == ["old task"])
        #expect(results[0].playIndex == nil)
        let table = RunsTable.show(summary, results).split(separator: "\n")
        #expect(table[1].hasPrefix("PLAY"))
        #expect(table[2].hasPrefix("-    1    a "), "\(table)")
        // New runs in the upgraded file record their plays.
        try journal.record(
            [.task(index: 1, name: "new", play: "p", playIndex: 1)],
            run: journal.beginRun(
                JournalRun(kind: "play", command: "x", inventory: "h")))
    }

    /// `capstan play` of a two-play playbook, then `capstan runs show`: each task under its own play
    /// and name, numbered over the run.
    @Test func runsShowLabelsEveryTaskOfATwoPlayRun() throws {
        let directory = TestScratch.directory + "/capstan-journal-plays-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "a ansible_connection=local\n".write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
        try """
        - name: first play
          hosts: all
          gather_facts: false
          tasks:
            - name: one of the first play
              debug: msg=1
            - name: two of the first play
              debug: msg=2
        - name: second play
          hosts: all
          gather_facts: false
          tasks:
            - name: one of the second play
              debug: msg=3
        """.write(toFile: directory + "/site.yml", atomically: true, encoding: .utf8)
        let journal = directory + "/journal.sqlite"
        let play = try CapstanBinary.run([
            "play", "-i", directory + "/hosts.ini", "--journal", journal, directory + "/site.yml",
        ])
        #expect(play.status == 0, "\(play.out)\(play.err)")
        let id = try #require(try Journal(path: journal).runs().first?.id)
        let show = try CapstanBinary.run(["runs", "show", "--journal", journal, String(id)])
        #expect(show.status == 0, "\(show.err)")
        let lines = show.out.split(separator: "\n").map { String($0) }
        let rows = lines.filter { $0.contains(" a ") }
        #expect(rows.count == 3, "\(show.out)")
        #expect(rows.map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == ["1 1", "1 2", "2 3"])
        #expect(rows[0].hasSuffix("one of the first play") && rows[1].hasSuffix("two of the first play"))
        #expect(rows[2].hasSuffix("one of the second play"), "\(show.out)")
        #expect(lines.contains("PLAY 1 [first play]") && lines.contains("PLAY 2 [second play]"), "\(show.out)")
    }
}
