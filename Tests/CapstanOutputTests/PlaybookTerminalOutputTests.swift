import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanOutput
@testable import CapstanResults

/// Behaviour of the playbook sink that the Ansible recordings do not show: the live progress line,
/// banner width, the engine's no-hosts wording, and results without a task's loop flag.
struct PlaybookTerminalOutputTests {
    func events() -> [RunEvent] {
        [
            .runStarted(name: "p", hosts: ["a", "b"]),
            .playStarted(PlayInfo(name: "P", hosts: ["a", "b"])),
            .taskStarted(TaskInfo(name: "T", index: 1, action: "ping")),
            .hostResult(HostResult(host: "a", status: .ok, fields: ["changed": false], module: "ping")),
            .hostResult(HostResult(host: "b", status: .changed, fields: ["changed": true], module: "ping")),
            .recap([(host: "b", stats: HostStats()), (host: "a", stats: HostStats())]),
        ]
    }

    @Test func progressLineIsDrawnAndClearedBeforeOutput() throws {
        var progressText = ""
        let out = try CapturedOutput.text { stdout in
            progressText = try CapturedOutput.text { stderr in
                let sink = PlaybookTerminalOutput(
                    out: stdout, style: TerminalStyle(enabled: false), progress: ProgressLine(out: stderr))
                for e in events() { sink.emit(e) }
            }
        }
        #expect(out.contains("ok: [a]\nchanged: [b]\n"))
        #expect(progressText.contains("[1/2 hosts] changed 0"))
        #expect(progressText.contains("[2/2 hosts] changed 1"))
        #expect(progressText.hasSuffix("\r\u{1B}[2K"))
    }

    /// Each task counts its own hosts (the line said `[140/3 hosts]` when counts added up across
    /// tasks); what changed, failed or was unreachable adds up over the run, and so does the clock,
    /// which moves on its own while a task runs.
    @Test func progressLineCountsPerTaskAndItsClockRunsForTheWholeRun() throws {
        var progressText = ""
        _ = try CapturedOutput.text { stdout in
            progressText = try CapturedOutput.text { stderr in
                let sink = PlaybookTerminalOutput(
                    out: stdout, style: TerminalStyle(enabled: false), progress: ProgressLine(out: stderr))
                for e in events().dropLast() { sink.emit(e) }
                sink.emit(.taskStarted(TaskInfo(name: "U", index: 2, action: "ping")))
                sink.emit(.hostResult(HostResult(host: "a", status: .failed, fields: ["failed": true], module: "ping")))
                Thread.sleep(forTimeInterval: 1.2)
                sink.emit(events().last!)
            }
        }
        #expect(progressText.contains("[1/2 hosts] changed 1, failed 1, unreachable 0"), "\(progressText)")
        #expect(!progressText.contains("[3/2 hosts]"))
        // Redrawn by its timer while nothing happened: more than one draw with the same counts.
        let idle = progressText.components(separatedBy: "[1/2 hosts] changed 1, failed 1").count - 1
        #expect(idle >= 2, "\(progressText)")
        #expect(progressText.contains("1.0s") || progressText.contains("1.1s"), "\(progressText)")
    }

    @Test func recapIsSortedByHostNameAndBannersFollowTheWidth() throws {
        var options = PlaybookTerminalOutput.Options()
        options.columns = 100
        let out = try CapturedOutput.text { stdout in
            let sink = PlaybookTerminalOutput(
                out: stdout, style: TerminalStyle(enabled: false), progress: nil, options: options)
            for e in events() { sink.emit(e) }
        }
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first { $0.hasPrefix("PLAY [P]") }?.count == 101)
        let recap = lines.filter { $0.contains(" : ok=") }.map { $0.prefix(1) }
        #expect(recap == ["a", "b"])
    }

    @Test func engineNoHostsWordingIsShownAsAnsibleDoes() throws {
        let out = try CapturedOutput.text { stdout in
            let sink = PlaybookTerminalOutput(out: stdout, style: TerminalStyle(enabled: false), progress: nil)
            sink.emit(.noHosts(message: "skipping: no hosts matched"))
            sink.emit(.noHosts(message: "no hosts remaining"))
        }
        #expect(out.hasPrefix("skipping: no hosts matched\n\nNO MORE HOSTS LEFT ***"))
    }

    @Test func loopSummaryWithoutTheTaskFlagPrintsNothingMore() throws {
        let item: Value = ["changed": false, "item": 1, "ansible_loop_var": "item"]
        var itemResult = HostResult(host: "a", status: .ok, fields: item.dictValue!, module: "ping")
        itemResult.itemLabel = "1"
        let out = try CapturedOutput.text { stdout in
            let sink = PlaybookTerminalOutput(out: stdout, style: TerminalStyle(enabled: false), progress: nil)
            sink.emit(.taskStarted(TaskInfo(name: "L", index: 1, action: "ping")))
            sink.emit(.hostResult(itemResult))
            sink.emit(.hostResult(HostResult(host: "a", status: .ok, fields: ["results": [item]], module: "ping")))
        }
        #expect(out.hasSuffix("ok: [a] => (item=1)\n"))
    }
}
