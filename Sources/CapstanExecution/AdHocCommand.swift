import CapstanBasics
import CapstanInventory
import CapstanModules
import CapstanOutput
import CapstanPlaybook
import Collections
import Foundation

/// Everything `capstan run` / `capstan ping` needs: which hosts, which module with which arguments,
/// and how to connect. Built by the CLI, carried out by `execute`.
public struct AdHocCommand: Sendable {
    public var inventorySources: [String]
    public var pattern: String
    public var limit: String?
    public var moduleName: String
    /// The `-a` text: `k=v` words, or free-form text for the command family.
    public var argumentText: String
    public var forks: Int
    public var checkMode: Bool
    public var connectionDefaults: ConnectionFactory.Defaults

    public init(
        inventorySources: [String], pattern: String, limit: String? = nil, moduleName: String,
        argumentText: String = "", forks: Int = 20, checkMode: Bool = false,
        connectionDefaults: ConnectionFactory.Defaults = .init()
    ) {
        self.inventorySources = inventorySources
        self.pattern = pattern
        self.limit = limit
        self.moduleName = moduleName
        self.argumentText = argumentText
        self.forks = forks
        self.checkMode = checkMode
        self.connectionDefaults = connectionDefaults
    }

    /// Loads the inventory, picks the hosts, runs the module on them and returns the exit code.
    /// Input problems (inventory, pattern, module arguments) throw before anything runs.
    public func execute(sink: any OutputSink, warnings: inout [Warning]) async throws -> ExitStatus {
        let registry = ModuleRegistry.standard
        guard let canonical = registry.canonicalName(moduleName) else {
            throw ModuleArgumentError(module: moduleName, message: "couldn't resolve module/action '\(moduleName)'")
        }
        var raw = OrderedDictionary<String, Value>()
        for (key, value) in try FreeFormArguments.parse(
            argumentText, keepRaw: ModuleRegistry.keepsRawWords(canonical))
        {
            raw[key] = .string(value)
        }
        let module = try registry.instantiate(canonical, arguments: raw)
        let inventory = try Inventory.load(sources: inventorySources, warnings: &warnings)
        let hosts = try inventory.hosts(matching: pattern, limit: limit, warnings: &warnings)
        guard !hosts.isEmpty else { return .noHostsMatched }
        let factory = ConnectionFactory(
            defaults: connectionDefaults, workingDirectory: FileManager.default.currentDirectoryPath)
        let targets = hosts.map { host -> AdHocRun.Target in
            let settings = inventory.connectionSettings(
                for: host, defaultConnection: connectionDefaults.connection ?? "ssh")
            return AdHocRun.Target(
                name: host.name, connection: factory.connection(for: settings),
                options: factory.commandOptions(for: settings))
        }
        let run = AdHocRun(moduleName: canonical, module: module, forks: forks, checkMode: checkMode)
        let rows = await run.run(on: targets, sink: sink)
        _ = await BoundedConcurrency.map(targets, limit: forks) { await $0.connection.close() }
        return ExitStatus.forRun(
            anyFailed: rows.contains { $0.stats.failed > 0 }, anyUnreachable: rows.contains { $0.stats.unreachable > 0 }
        )
    }
}
