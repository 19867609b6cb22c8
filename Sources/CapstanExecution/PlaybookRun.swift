import CapstanBasics
import CapstanInventory
import CapstanModules
import CapstanOutput
import CapstanPlaybook
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// `capstan play`: loads the inventory and playbooks, runs each play in order with Ansible's
/// semantics, and returns the exit code. Input problems throw before anything runs.
public struct PlaybookRun: Sendable {
    /// `-i` sources.
    public var inventorySources: [String]
    /// Playbook files, run in order.
    public var playbooks: [String]
    /// Run-wide choices.
    public var options: PlaybookOptions
    /// How to connect when the inventory says nothing.
    public var connectionDefaults: ConnectionFactory.Defaults
    /// `--roles-path` folders.
    public var roleSearchPaths: [String]

    /// A run of `playbooks` against the inventory.
    public init(
        inventorySources: [String], playbooks: [String], options: PlaybookOptions = PlaybookOptions(),
        connectionDefaults: ConnectionFactory.Defaults = .init(), roleSearchPaths: [String] = []
    ) {
        self.inventorySources = inventorySources
        self.playbooks = playbooks
        self.options = options
        self.connectionDefaults = connectionDefaults
        self.roleSearchPaths = roleSearchPaths
    }

    /// The action names playbooks may use: the modules and the controller actions.
    public static var knownActions: Set<String> {
        Set(ModuleRegistry.standard.names).union(ControllerActionRegistry.standard.names)
    }

    /// Loads every playbook (for `--syntax-check`, `--list-*` and before running).
    public func load(warnings: inout [Warning]) throws -> [Playbook] {
        let loader = PlaybookLoader(roleSearchPaths: roleSearchPaths, knownModules: Self.knownActions)
        return try playbooks.map { path in
            let playbook = try loader.load(path: path)
            warnings += playbook.warnings
            return playbook
        }
    }

    /// A play's `hosts:` entries and name as Ansible matches and shows them.
    public struct PlayHeading: Sendable {
        /// The `hosts:` entries, templated; an entry that renders to a list gives its items.
        public var patterns: [String]
        /// `name:` templated (left as written if it cannot be), else the templated hosts.
        public var name: String
        /// `patterns` as one pattern.
        public var pattern: String { patterns.joined(separator: ",") }
    }

    /// The play's heading, templated with the play's `vars` and `vars_files` under the extra vars (no
    /// host's variables: hosts are what they select), all from one scope.
    public func heading(of play: Play, templar: Templar = Templar(defaultOptions: .ansibleYAML)) throws -> PlayHeading {
        let scope = LayeredScope(
            layers: [
                PlayVariables.withoutHost(play, extraVars: options.extraVars, templar: templar), options.extraVars,
            ],
            templar: templar)
        let patterns = try play.hosts.flatMap { entry -> [String] in
            let value = try templar.renderValue(entry, scope: scope)
            return value.listValue?.map(\.pythonString) ?? [value.pythonString]
        }
        let name = play.name.map { (try? templar.render($0, scope: scope)) ?? $0 }
        return PlayHeading(patterns: patterns, name: name ?? patterns.joined(separator: ","))
    }

    /// Runs everything, sending events to `sink`.
    public func execute(sink rawSink: any OutputSink, warnings: inout [Warning]) async throws
        -> ExitStatus
    {
        let books = try load(warnings: &warnings)
        var inventory = try Inventory.load(sources: inventorySources, warnings: &warnings)
        for dir in Set(books.map { Paths.directory(of: $0.path) }).sorted() {
            try inventory.addPlaybookDirectory(dir, warnings: &warnings)
        }
        try Self.checkLimit(options.limit, inventory: inventory, warnings: &warnings)
        let sink = SerialSink(rawSink)
        // Playbook strings come from YAML, so Ansible's escape_backslashes applies to them.
        let templar = Templar(defaultOptions: .ansibleYAML)
        let state = RunState()
        let magic: OrderedDictionary<String, Value> = [
            "ansible_check_mode": .bool(options.checkMode), "ansible_diff_mode": .bool(options.diffMode),
            "ansible_forks": .int(options.forks), "ansible_verbosity": .int(options.verbosity),
            "ansible_run_tags": .list(options.tags.only.sorted().map(Value.string)),
            "ansible_skip_tags": .list(options.tags.skip.sorted().map(Value.string)),
            "ansible_version": [
                "full": "2.19.0", "major": 2, "minor": 19, "revision": 0, "string": "2.19.0",
            ],
            "ansible_inventory_sources": .list(inventorySources.map(Value.string)),
        ]
        let variables = VariableManager(
            inventory: inventory, templar: templar, state: state, extraVars: options.extraVars,
            runMagic: magic, defaultConnection: connectionDefaults.connection ?? "ssh")
        let factory = ConnectionFactory(
            defaults: connectionDefaults, workingDirectory: FileManager.default.currentDirectoryPath)
        let defaultConnection = connectionDefaults.connection ?? "ssh"
        let pool = HostConnections(factory: factory) { [variables] host in
            ConnectionSettings(
                hostName: host, variables: variables.inventoryVariables(of: host), defaultConnection: defaultConnection)
        }
        let allHosts = inventory.hosts.map(\.name)
        sink.emit(.runStarted(name: playbooks.joined(separator: " "), hosts: allHosts))
        var anyMatched = false
        do {
            plays: for book in books {
                for play in book.plays {
                    try Task.checkCancellation()
                    var matchWarnings: [Warning] = []
                    let heading = try heading(of: play, templar: templar)
                    let pattern = heading.pattern
                    // The inventory as earlier plays' add_host and group_by left it.
                    let matched = try variables.inventory.hosts(
                        matching: pattern, limit: options.limit, warnings: &matchWarnings
                    )
                    .map(\.name)
                    for w in matchWarnings { sink.emit(.warning("\(w)")) }
                    let hosts = matched.filter { !state.isDropped($0) }
                    sink.emit(
                        .playStarted(PlayInfo(name: heading.name, hosts: hosts, checkMode: options.checkMode))
                    )
                    guard !hosts.isEmpty else {
                        sink.emit(
                            .noHosts(message: matched.isEmpty ? "skipping: no hosts matched" : "no hosts remaining")
                        )
                        continue
                    }
                    anyMatched = true
                    var scope = PlayScope(
                        name: heading.name, variables: [:], allHosts: matched, batch: hosts,
                        baseDirectory: play.baseDirectory)
                    scope.roleDefaults = play.publicRoleDefaults
                    let runtime = PlayRuntime(
                        options: options, variables: variables, connections: pool, sink: sink,
                        modules: ModuleRegistry.standard, actions: ControllerActionRegistry.standard,
                        roleSearchPaths: roleSearchPaths, play: scope)
                    scope.variables = try PlayVariables.load(
                        play, host: hosts[0], runtime: runtime, warnings: &warnings)
                    runtime.play = scope
                    var runnable = play
                    runnable.keywords.when = play.importConditions
                    let stopsRun = try await PlayRun(play: runnable, runtime: runtime, facts: GathererFactSource())
                        .run(hosts: hosts)
                    if stopsRun { break plays }
                }
            }
            try Task.checkCancellation()
        } catch {
            // Interrupted, or a play could not start: the sessions still close, which kills whatever
            // still runs on the hosts and lets their shells remove their directories.
            await pool.closeAll()
            throw error
        }
        let closing = ContinuousClock.now
        await pool.closeAll()
        RunTrace.log("closed connections \(RunTrace.milliseconds(ContinuousClock.now - closing))ms")
        sink.emit(.recap(state.recap(order: variables.inventory.hosts.map(\.name))))
        guard anyMatched else { return .noHostsMatched }
        let outcome = state.outcome
        return ExitStatus.forRun(anyFailed: outcome.anyFailed, anyUnreachable: outcome.anyUnreachable)
    }
}
