import CapstanBasics
import Collections

/// `wait_for_connection`: waits until the host can be logged into and runs a command again, as
/// Ansible's action plugin does with its ping module: after `delay`, attempts until `timeout`, each
/// bounded by `connect_timeout` and each after a failure on a fresh session (Ansible's connection
/// `reset()`), pausing `sleep` seconds between them. The engine does not connect before the task
/// (`runsOnController`), so a host that is down when the task starts is waited for, not unreachable.
public struct WaitForConnectionModule: Module {
    public static let name = "wait_for_connection"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("connect_timeout", .int, default: 5), ArgumentDefinition("delay", .int, default: 0),
            ArgumentDefinition("sleep", .int, default: 1), ArgumentDefinition("timeout", .int, default: 600),
        ], unknownKeys: .rejected { "Invalid options for wait_for_connection: " + $0.sorted().joined(separator: ",") })
    public static let runsOnController = true

    let connectTimeout: Int
    let delay: Int
    let pause: Int
    let timeout: Int

    public init(arguments: ModuleArguments) throws {
        func int(_ name: String, _ fallback: Int) -> Int {
            if case .int(let i)? = arguments[name] { return i }
            return fallback
        }
        connectTimeout = int("connect_timeout", 5)
        delay = int("delay", 0)
        pause = int("sleep", 1)
        timeout = int("timeout", 600)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        // Ansible's plugin skips in check mode, with nothing but `skipped`.
        if context.checkMode { return ModuleOutcome(status: .skipped) }
        let start = ContinuousClock.now
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
        let answered = await Self.waitUntilAnswering(
            context, until: .now + .seconds(timeout), connectTimeout: connectTimeout, pause: pause)
        let elapsed: Value = .int(Int((ContinuousClock.now - start).components.seconds))
        if case .failure(let failure) = answered {
            return .failed("timed out waiting for ping module test: \(failure)", ["elapsed": elapsed])
        }
        return ModuleOutcome(status: .ok, fields: ["elapsed": elapsed])
    }

    /// Attempts a login and a `true` (as the task's user, become included) until one works or `end`.
    static func waitUntilAnswering(
        _ context: ModuleContext, until end: ContinuousClock.Instant, connectTimeout: Int, pause: Int
    ) async -> Result<Void, HostReachability.Failure> {
        let connection = context.connection
        let options = context.commandOptions
        return await HostReachability.retry(
            on: connection, until: end, attemptLimit: .seconds(max(connectTimeout, 1)),
            pause: { _ in .seconds(max(pause, 0)) }
        ) { deadline in
            try await connection.connect()
            let result = try await connection.run("true", options: options.until(deadline))
            guard result.succeeded else {
                throw HostReachability.Failure(description: "the host could not run /bin/sh: \(result.stderrText)")
            }
        }
    }
}
