import ArgumentParser
import CapstanEngine
import Foundation

/// Runs an ad-hoc command, records it in the journal, prints warnings and errors Ansible-style, and
/// exits with Capstan's code.
enum AdHocDriver {
    static func run(_ command: AdHocCommand, output: OutputOptions) async throws {
        var warnings: [Warning] = []
        var sinks: [any OutputSink] = [output.sink()]
        var journalSink: JournalSink?
        if let journal = output.journal() {
            let run = JournalRun(
                kind: "adhoc", command: "\(command.moduleName) \(command.pattern)",
                inventory: command.inventorySources.joined(separator: ","))
            journalSink = try? JournalSink(journal: journal, run: run) { error in
                Diagnostics.printWarnings([Warning("the run journal stopped recording: \(error)")])
            }
            if let journalSink { sinks.append(journalSink) }
        }
        let code: ExitStatus
        do {
            code = try await command.execute(sink: FanOutSink(sinks), warnings: &warnings)
        } catch {
            Diagnostics.printWarnings(warnings)
            let exit = Diagnostics.fail(error)
            journalSink?.finish(exitCode: exit.rawValue)
            throw exit
        }
        journalSink?.finish(exitCode: code.rawValue)
        Diagnostics.printWarnings(warnings)
        if code == .noHostsMatched {
            Diagnostics.printError("no hosts matched the pattern '\(command.pattern)'")
        }
        if code != .success { throw ExitCode(code.rawValue) }
    }
}
