import ArgumentParser
import CapstanEngine

/// What every run command does around its work: send events to the chosen output and to the
/// journal, print warnings and errors Ansible-style, and exit with Capstan's code.
enum RecordedRun {
    /// Runs `work` with a sink that shows and records; `noHostsMessage` is printed for exit code 8.
    static func run(
        output: OutputOptions, display: any OutputSink, record: JournalRun, noHostsMessage: String,
        _ work: (any OutputSink, inout [Warning]) async throws -> ExitStatus
    ) async throws {
        var warnings: [Warning] = []
        var sinks: [any OutputSink] = [display]
        var journalSink: JournalSink?
        if let journal = output.journal() {
            // Every run that cannot be recorded says so; the run itself goes on.
            do {
                let sink = try JournalSink(journal: journal, run: record) { error in
                    Diagnostics.printWarnings([Warning("the run journal stopped recording this run: \(error)")])
                }
                journalSink = sink
                sinks.append(sink)
            } catch {
                Diagnostics.printWarnings([Warning("the run journal could not record this run: \(error)")])
            }
        }
        let code: ExitStatus
        do {
            code = try await work(FanOutSink(sinks), &warnings)
        } catch {
            Diagnostics.printWarnings(warnings)
            let exit = Diagnostics.fail(error)
            journalSink?.finish(exitCode: exit.rawValue)
            throw exit
        }
        journalSink?.finish(exitCode: code.rawValue)
        Diagnostics.printWarnings(warnings)
        if code == .noHostsMatched { Diagnostics.printError(noHostsMessage) }
        if code != .success { throw ExitCode(code.rawValue) }
    }
}
