import ArgumentParser
import CapstanExecution
import CapstanOutput

/// Runs an ad-hoc command as a recorded run.
enum AdHocDriver {
    static func run(_ command: AdHocCommand, output: OutputOptions) async throws {
        let record = JournalRun(
            kind: "adhoc", command: "\(command.moduleName) \(command.pattern)",
            inventory: command.inventorySources.joined(separator: ","))
        try await RecordedRun.run(
            output: output, display: output.sink(), record: record,
            noHostsMessage: "no hosts matched the pattern '\(command.pattern)'"
        ) { sink, warnings in
            try await command.execute(sink: sink, warnings: &warnings)
        }
    }
}
