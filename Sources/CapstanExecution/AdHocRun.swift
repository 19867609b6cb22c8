import CapstanBasics
import CapstanModules
import CapstanOutput
import CapstanResults
import CapstanTransport
import Collections

/// One module on many hosts, as `capstan run` and `capstan ping` do (Ansible's `ansible PATTERN -m`):
/// each host in parallel up to `forks`, each result reported as it comes, a recap at the end.
public struct AdHocRun: Sendable {
    /// A host to run on and how to reach it.
    public struct Target: Sendable {
        public var name: String
        public var connection: any Connection
        public var options: CommandOptions

        public init(name: String, connection: any Connection, options: CommandOptions = CommandOptions()) {
            self.name = name
            self.connection = connection
            self.options = options
        }
    }

    public var moduleName: String
    public var module: any Module
    public var forks: Int
    public var checkMode: Bool

    /// Builds a run of an already checked module.
    public init(moduleName: String, module: any Module, forks: Int = 20, checkMode: Bool = false) {
        self.moduleName = moduleName
        self.module = module
        self.forks = forks
        self.checkMode = checkMode
    }

    /// Runs on every target, sending events to `sink`; returns the recap rows in target order.
    public func run(on targets: [Target], sink: any OutputSink) async -> [(host: String, stats: HostStats)] {
        sink.emit(.runStarted(name: moduleName, hosts: targets.map(\.name)))
        let module = self.module
        let moduleName = self.moduleName
        let checkMode = self.checkMode
        let results = await BoundedConcurrency.map(targets, limit: forks) { target in
            let clock = ContinuousClock()
            let start = clock.now
            let outcome = await Self.runOne(module, on: target, checkMode: checkMode)
            let result = HostResult(
                host: target.name, status: outcome.status, fields: outcome.fields, duration: clock.now - start,
                module: moduleName)
            sink.emit(.hostResult(result))
            return result
        }
        let rows = results.map { result -> (host: String, stats: HostStats) in
            var stats = HostStats()
            stats.record(result.status)
            return (result.host, stats)
        }
        sink.emit(.recap(rows))
        return rows
    }

    /// One host: connect, run, and turn transport failures into `unreachable` or `failed` results.
    static func runOne(_ module: any Module, on target: Target, checkMode: Bool) async -> ModuleOutcome {
        let context = ModuleContext(
            host: target.name, connection: target.connection, checkMode: checkMode, commandOptions: target.options)
        do {
            if !type(of: module).runsOnController { try await target.connection.connect() }
            return try await module.run(in: context)
        } catch let error as ConnectionError {
            return FailureClassifier.outcome(for: error)
        } catch {
            return .failed("\(error)")
        }
    }
}
