import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// `capstan play` on the lab: failures, unreachable hosts, retries, result conditions, no_log,
/// check mode, exit codes and the journal.
extension PlaybookLabTests {
    @Suite struct Failures {
        @Test func failedHostsDropOutOfThePlayAndLaterPlays() throws {
            let run = try PlayHarness.play("failures.yml")
            #expect(run.status == 2)
            #expect(run.hosts("after").sorted() == ["node-01", "node-03"])
            #expect(run.hosts("next play").sorted() == ["node-01", "node-03"])
            #expect(run.recap("node-02")?["failed"] == 1)
            #expect(run.recap("node-03")?["ignored"] == 1)
            #expect(run.recap("node-03")?["failed"] == 0)
            #expect(run.results("ignored failure").first { $0["host"] == "node-03" }?["ignored"] == true)
        }

        @Test func anUnreachableHostDoesNotBlockTheOthers() throws {
            let nodes = try LabNodes.up(3)
            try LabNodes.exec(nodes[2], "systemctl stop ssh.socket ssh.service")
            defer { _ = try? LabNodes.exec(nodes[2], "systemctl start ssh.service") }
            let run = try PlayHarness.play("failures.yml", ["--timeout", "5"])
            #expect(run.status == 6, "\(run.out)")
            #expect(run.results().contains { $0["host"] == "node-03" && $0["status"] == "unreachable" })
            #expect(run.hosts("after") == ["node-01"])
            #expect(run.recap("node-03")?["unreachable"] == 1)
        }

        @Test func anyErrorsFatalStopsEveryHost() throws {
            let run = try PlayHarness.play("fatal.yml")
            #expect(run.status == 2)
            #expect(run.hosts("rescue node-01") == ["node-01"])
            #expect(run.hosts("fails on node-03").count == 3)
            #expect(run.hosts("never reached").isEmpty)
            #expect(run.recap("node-01")?["failed"] == 0)
        }

        /// As ansible-playbook 2.19 runs Fixtures/execution/maxfail.yml: one failure in three is not
        /// above 50%; in the second play one in two is above 30%, which ends the whole run.
        @Test func maxFailPercentageIsPerBatchAndEndsTheRun() throws {
            let run = try PlayHarness.play("maxfail.yml")
            #expect(run.status == 2)
            #expect(run.hosts("still under the percentage").sorted() == ["node-01", "node-03"])
            #expect(run.hosts("stopped by the percentage").isEmpty)
            #expect(run.hosts("a play after one the percentage stopped").isEmpty, "\(run.out)")
        }

        /// ansible-playbook ends the run when every host of a play's batch failed, though other
        /// hosts of the inventory never did (Fixtures/execution/batch-failed.yml, as ansible-core 2.19 runs it).
        @Test func aPlayWhoseEveryHostFailedEndsTheRun() throws {
            let run = try PlayHarness.play("batch-failed.yml")
            #expect(run.status == 2)
            #expect(run.recap("node-01")?["failed"] == 1)
            #expect(run.hosts("after a play whose every host failed").isEmpty, "\(run.out)")
        }

        @Test func untilRetriesAndResultConditions() throws {
            let run = try PlayHarness.play("retries.yml")
            #expect(run.status == 0, "\(run.out)")
            #expect(run.messages("show attempts")["node-01"] == "3 3")
            #expect(run.messages("show hopeless")["node-01"] == "3 True")
            #expect(run.results("changed_when false").first?["status"] == "ok")
            #expect(run.results("failed_when on output").first?["status"] == "failed")
            // Ansible says `changed` here: a failing command did run.
            #expect(run.results("failed_when false hides a failure").first?["status"] == "changed")
        }

        @Test func noLogHidesTheSecretEverywhere() throws {
            let journal = TestScratch.directory + "/capstan-nolog-\(UUID().uuidString).sqlite"
            let run = try PlayHarness.play("nolog.yml", ["--journal", journal])
            #expect(run.status == 0, "\(run.err)")
            #expect(!run.out.contains("s3cr3t"))
            #expect(run.out.contains("the output has been hidden"))
            let data = FileManager.default.contents(atPath: journal) ?? Data()
            #expect(!data.isEmpty)
            #expect(data.range(of: Data("s3cr3t".utf8)) == nil)
            let shown = try CapstanBinary.run(["runs", "--journal", journal])
            #expect(shown.status == 0)
            #expect(shown.out.contains("nolog.yml"), "\(shown.out)")
        }

        @Test func checkModeChangesNothing() throws {
            let nodes = try LabNodes.up(3)
            try LabNodes.exec(
                nodes[0], "rm -f /tmp/capstan-check-created; echo base > /tmp/capstan-check-existing")
            let before = try LabNodes.exec(
                nodes[0], "ls /tmp/capstan-check-*; cat /tmp/capstan-check-existing"
            ).output
            let run = try PlayHarness.play("check.yml", ["--check", "-l", "node-01"])
            #expect(run.status == 0, "\(run.out)")
            let after = try LabNodes.exec(
                nodes[0], "ls /tmp/capstan-check-*; cat /tmp/capstan-check-existing"
            ).output
            #expect(before == after)
            #expect(run.messages("show")["node-01"] == "base True")
            #expect(run.results("would append").first?["status"] == "skipped")
        }

        @Test func noMatchingHostExitsEightAndBadPlaybookExits65() throws {
            let none = try PlayHarness.play("serial.yml", ["-l", "no-such-host"])
            #expect(none.status == 8)
            // Ansible's words, before any play starts.
            let message = "Specified inventory, host pattern and/or --limit leaves us with no hosts to target."
            #expect(none.err.contains(message), "\(none.err)")
            let bad = try PlayHarness.play("invalid.yml")
            #expect(bad.status == 65)
            #expect(
                bad.err.contains("invalid.yml:5:7: 'bogus_keyword' is not a valid attribute"), "\(bad.err)")
        }
    }
}
