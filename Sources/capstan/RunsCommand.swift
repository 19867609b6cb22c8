import ArgumentParser
import CapstanExecution
import CapstanOutput
import Foundation

/// `capstan runs` and `capstan runs show ID`: what the journal recorded.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List recorded runs, or show one.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct JournalOption: ParsableArguments {
        @Option(
            name: .customLong("journal"),
            help:
                "The journal to read (default: $CAPSTAN_JOURNAL, else $XDG_STATE_HOME or $HOME/.local/state, then capstan/journal.sqlite)."
        )
        var path: String?

        func open() throws -> Journal { try Journal(path: path ?? Journal.defaultPath) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The most recent runs first.")
        @OptionGroup var journal: JournalOption
        @Option(name: [.short, .customLong("number")], help: "How many runs to list.") var count = 20

        func run() throws {
            let rows = try journal.open().runs(limit: count)
            print(RunsTable.list(rows))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Every result of one run.")
        @OptionGroup var journal: JournalOption
        @Argument(help: "The run's id, from `capstan runs`.") var id: Int64

        func run() throws {
            guard let (summary, results) = try journal.open().results(ofRun: id) else {
                Diagnostics.printError("no run \(id) in the journal")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
            print(RunsTable.show(summary, results))
        }
    }
}
