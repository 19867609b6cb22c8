/// `ping`: proves the host can be reached, logged into and can run a command; returns `pong`
/// (or `data`). `data=crash` fails, as Ansible's does, to test failure handling.
public struct PingModule: Module {
    public static let name = "ping"
    public static let spec = ArgumentSpec([ArgumentDefinition("data", default: "pong")])
    let data: String

    public init(arguments: ModuleArguments) throws { data = arguments.string("data") ?? "pong" }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if data == "crash" { return .failed("boom") }
        let result = try await context.connection.run("true", options: context.commandOptions)
        guard result.succeeded else {
            return .failed("the host could not run /bin/sh: \(result.stderrText)")
        }
        return ModuleOutcome(status: .ok, fields: ["ping": .string(data)])
    }
}
