import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanOutput

/// What every run command does around its work: send events to the chosen output and to the
/// journal, print warnings and errors Ansible-style, stop cleanly on SIGINT/SIGTERM, and exit with
/// Capstan's code.
enum RecordedRun {
    /// Runs `work` with a sink that shows and records; `noHostsMessage` is printed for exit code 8.
    ///
    /// The work runs in a task of its own, which the first SIGINT or SIGTERM cancels: no task starts any
    /// more, running remote commands are killed and the sessions closed; the journal then records the
    /// run with exit code 130 (SIGINT) or 143 (SIGTERM), the code Capstan exits with.
    static func run(
        output: OutputOptions, display: any OutputSink, record: JournalRun, noHostsMessage: String,
        _ work: @escaping @Sendable (any OutputSink, inout [Warning]) async throws -> ExitStatus
    ) async throws {
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
        let sink = FanOutSink(sinks)
        let worker = Task { () async -> (Result<ExitStatus, Error>, [Warning]) in
            var warnings: [Warning] = []
            do {
                return (.success(try await work(sink, &warnings)), warnings)
            } catch {
                return (.failure(error), warnings)
            }
        }
        let recorder = journalSink
        let interruption = Interruption(
            onInterrupt: {
                Diagnostics.printError("interrupted: stopping the running commands and closing the sessions")
                worker.cancel()
            },
            beforeExit: { code in recorder?.finish(exitCode: code) })
        let (result, warnings) = await worker.value
        interruption.uninstall()
        if let code = interruption.exitCode {
            Diagnostics.printWarnings(warnings)
            journalSink?.finish(exitCode: code)
            throw ExitCode(code)
        }
        let code: ExitStatus
        do {
            code = try result.get()
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
