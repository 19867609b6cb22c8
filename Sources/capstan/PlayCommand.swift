import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanInventory
import CapstanOutput
import CapstanPlaybook
import Foundation

/// `capstan play -i INV PLAYBOOK...`: runs playbooks like `ansible-playbook`.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Run Ansible playbooks (like `ansible-playbook`).",
        discussion: ExitStatus.table)

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Playbook files, run in order.")
    var playbooks: [String]

    @OptionGroup var tags: TagOptions

    @Option(
        name: [.short, .customLong("extra-vars")],
        help: "Variables: k=v words, YAML/JSON, or @file; repeatable.")
    var extraVars: [String] = []

    @Flag(
        name: [.customShort("C"), .customLong("check")], help: "Predict changes without making them.")
    var check = false

    @Flag(
        name: [.customShort("D"), .customLong("diff")],
        help: "Show what changes in files and templates.")
    var diff = false

    @Option(name: .customLong("start-at-task"), help: "Start at the task with this name.")
    var startAtTask: String?

    @Flag(name: .customLong("list-hosts"), help: "List the hosts each play would run on, then exit.")
    var listHosts = false

    @Flag(name: .customLong("list-tasks"), help: "List the tasks that would run, then exit.")
    var listTasks = false

    @Flag(name: .customLong("list-tags"), help: "List the tags, then exit.")
    var listTags = false

    @Flag(name: .customLong("syntax-check"), help: "Check the playbooks' syntax, then exit.")
    var syntaxCheck = false

    @Flag(name: .customShort("v"), help: "More output (repeat for more).")
    var verbose: Int

    @Option(
        name: .customLong("roles-path"), help: "Folders to find roles in (colon-separated; repeatable)."
    )
    var rolesPath: [String] = []

    func run() async throws {
        var warnings: [Warning] = []
        var request = PlayRequest(inventory: inventory, connection: connection, playbooks: playbooks)
        request.extraVars = extraVars
        request.tags = tags.only
        request.skipTags = tags.skip
        request.check = check
        request.diff = diff
        request.startAtTask = startAtTask
        request.verbosity = verbose
        request.rolesPath = rolesPath
        let run = try request.makeRun(warnings: &warnings)
        if syntaxCheck || listTasks || listTags || listHosts {
            try listings(run, warnings: &warnings)
            return
        }
        try await PlayDriver.run(run, output: output, warnings: warnings, locked: !inventory.noLock)
    }

    /// `--syntax-check`, `--list-tasks`, `--list-tags`, `--list-hosts`: nothing runs.
    private func listings(_ run: PlaybookRun, warnings: inout [Warning]) throws {
        let books: [Playbook]
        do { books = try run.load(warnings: &warnings) } catch {
            Diagnostics.printWarnings(warnings)
            throw Diagnostics.fail(error)
        }
        Diagnostics.printWarnings(warnings)
        for book in books {
            if syntaxCheck { print(PlaybookListing.syntaxCheck(book), terminator: "") }
            if listTasks {
                print(
                    try PlaybookListing.listTasks(book, tags: run.options.tags, heading: heading(run)),
                    terminator: "")
            }
            if listTags {
                let selection =
                    tags.isEmpty ? TagSelection.everything : run.options.tags
                print(try PlaybookListing.listTags(book, tags: selection, heading: heading(run)), terminator: "")
            }
            if listHosts { try printHosts(book, run: run) }
        }
    }

    private func printHosts(_ book: Playbook, run: PlaybookRun) throws {
        var warnings: [Warning] = []
        let inv: Inventory
        do { inv = try Inventory.load(sources: run.inventorySources, warnings: &warnings) } catch {
            throw Diagnostics.fail(error)
        }
        print("\nplaybook: \(book.path)")
        for (i, play) in book.plays.enumerated() {
            let heading = try run.heading(of: play)
            let hosts = try inv.hosts(matching: heading.pattern, limit: run.options.limit, warnings: &warnings)
            print(
                "\n  play #\(i + 1) (\(heading.pattern)): \(heading.name)\tTAGS: [\(play.keywords.tags.joined(separator: ","))]"
            )
            print("    pattern: \(Value.list(heading.patterns.map(Value.string)).pythonRepr)")
            print("    hosts (\(hosts.count)):")
            for h in hosts { print("      \(h.name)") }
        }
    }

    /// A play's line in the listings, templated as the run templates it.
    private func heading(_ run: PlaybookRun) -> (Play) throws -> PlaybookListing.Heading {
        { play in
            let heading = try run.heading(of: play)
            return PlaybookListing.Heading(pattern: heading.pattern, name: heading.name)
        }
    }

}

/// Runs a playbook run with the output and journal chosen, and exits with Capstan's code.
enum PlayDriver {
    /// `command` is what the journal records as the command line (default `play PLAYBOOK...`).
    /// `locked`: the run takes its inventory's lock (`InventoryLock`) unless it only checks.
    /// `display` replaces the output format's sink (`cluster plan`); `observers` see every event too.
    static func run(
        _ run: PlaybookRun, output: OutputOptions, warnings initial: [Warning], command: String? = nil,
        locked: Bool = true, display: (any OutputSink)? = nil, observers: [any OutputSink] = []
    ) async throws {
        var initial = initial
        var lock: InventoryLock?
        if locked, !run.options.checkMode {
            do {
                lock = try InventoryLock.acquire(
                    sources: run.inventorySources, command: command ?? "play " + run.playbooks.joined(separator: " "),
                    warnings: &initial)
            } catch {
                Diagnostics.printError("\(error)")
                throw ExitCode(ExitStatus.inventoryLocked.rawValue)
            }
        }
        defer { lock?.release() }
        var record = JournalRun(
            kind: "play", command: command ?? "play " + run.playbooks.joined(separator: " "),
            inventory: run.inventorySources.joined(separator: ","))
        record.playbook = run.playbooks.joined(separator: " ")
        record.checkMode = run.options.checkMode
        record.limit = run.options.limit
        // What a later resume needs to select the same tasks again.
        let tags = run.options.tags
        record.tags =
            "only=\(tags.only.sorted().joined(separator: ",")) skip=\(tags.skip.sorted().joined(separator: ","))"
        try await RecordedRun.run(
            output: output, display: FanOutSink([display ?? playSink(output, options: run.options)] + observers),
            record: record,
            noHostsMessage: "no hosts matched any play's pattern"
        ) { [initial] sink, warnings in
            warnings += initial
            return try await run.execute(sink: sink, warnings: &warnings)
        }
    }

    /// The sink for playbook output: ansible-playbook's default output on a terminal or pipe, or
    /// JSON lines.
    static func playSink(_ output: OutputOptions, options: PlaybookOptions) -> any OutputSink {
        switch output.format {
        case .json: return JSONLinesOutput()
        case .text:
            return PlaybookTerminalOutput(
                style: .detect(fd: 1), progress: ProgressLine.ifTerminal(),
                options: .detect(verbosity: options.verbosity, showDiff: options.diffMode, checkMode: options.checkMode)
            )
        }
    }
}
