import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanOutput
@testable import CapstanResults

@Suite struct JournalTests {
    @Test func recordsRunsTasksAndResultsAndReadsThemBack() throws {
        let path = TemporaryJournal.path()
        let journal = try Journal(path: path)
        let sink = try JournalSink(
            journal: journal, run: JournalRun(kind: "play", command: "site.yml", inventory: "hosts.ini")
        ) { _ in }
        sink.emit(.runStarted(name: "site", hosts: ["a", "b"]))
        sink.emit(.taskStarted(TaskInfo(name: "install", index: 1, action: "apt", play: "site")))
        sink.emit(
            .hostResult(
                HostResult(
                    host: "a", status: .changed, fields: ["changed": true], duration: .milliseconds(12), module: "apt"))
        )
        sink.emit(
            .hostResult(
                HostResult(
                    host: "b", status: .failed, fields: ["msg": "boom"], duration: .milliseconds(3), module: "apt")))
        sink.finish(exitCode: 2)

        let runs = try journal.runs()
        #expect(runs.count == 1)
        #expect(runs[0].exitCode == 2 && runs[0].hosts == 2 && runs[0].changed == 1 && runs[0].failed == 1)
        let (_, results) = try #require(try journal.results(ofRun: runs[0].id))
        #expect(results.map(\.host) == ["a", "b"])
        #expect(results.map(\.taskName) == ["install", "install"])
        #expect(results[1].resultJSON.contains("boom"))
        #expect(abs(results[0].durationMs - 12) < 0.5)
        #expect(try journal.results(ofRun: 99) == nil)
    }

    /// The sink queues rows for its writer thread: results emitted from many tasks at once all land,
    /// under the task that was current when they were emitted, before `finish` returns.
    @Test func resultsEmittedConcurrentlyAreAllWrittenByFinish() async throws {
        let path = TemporaryJournal.path()
        let journal = try Journal(path: path)
        let sink = try JournalSink(
            journal: journal, run: JournalRun(kind: "play", command: "site.yml", inventory: "hosts.ini")
        ) { _ in }
        sink.emit(.runStarted(name: "site", hosts: []))
        for task in 1...3 {
            sink.emit(.taskStarted(TaskInfo(name: "task \(task)", index: task, action: "command", play: "site")))
            await withTaskGroup(of: Void.self) { group in
                for host in 0..<50 {
                    group.addTask {
                        sink.emit(
                            .hostResult(
                                HostResult(
                                    host: "node-\(host)", status: .ok, fields: ["changed": false],
                                    duration: .milliseconds(1), module: "command")))
                    }
                }
            }
        }
        sink.finish(exitCode: 0)
        let runs = try journal.runs()
        #expect(runs.count == 1 && runs[0].exitCode == 0)
        let (_, results) = try #require(try journal.results(ofRun: runs[0].id))
        #expect(results.count == 150)
        for task in 1...3 {
            #expect(results.filter { $0.taskName == "task \(task)" }.count == 50)
        }
    }

    @Test func journalFileIsPrivate() throws {
        let path = TemporaryJournal.path()
        _ = try Journal(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func reopeningKeepsEarlierRuns() throws {
        let path = TemporaryJournal.path()
        _ = try Journal(path: path).beginRun(JournalRun(kind: "adhoc", command: "ping all", inventory: "x"))
        let again = try Journal(path: path)
        #expect(try again.runs().map(\.command) == ["ping all"])
    }
}
