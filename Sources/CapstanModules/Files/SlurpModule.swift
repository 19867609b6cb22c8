import CapstanBasics
import Foundation

/// `slurp`: returns a file's bytes, base64-encoded, read by one command (`cat`; the encoding is
/// done on the controller so the node needs no `base64`).
public struct SlurpModule: Module {
    public static let name = "slurp"
    public static let spec = ArgumentSpec([ArgumentDefinition("src", .path, required: true, aliases: ["path"])])

    let source: String

    public init(arguments: ModuleArguments) throws { source = arguments.string("src") ?? "" }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let program = RemoteProgram.assignments(["p": source]) + NodePrograms.slurp
        let result = try await context.connection.run(program, options: context.commandOptions)
        let report = FileReport(result.stdout)
        if let error = report.error { return .failed(error) }
        guard let content = report.content else { return .failed("could not read \(source): \(result.stderrText)") }
        return ModuleOutcome(
            status: .ok,
            fields: [
                "content": .string(Data(content).base64EncodedString()), "source": .string(source),
                "encoding": "base64",
            ])
    }
}
