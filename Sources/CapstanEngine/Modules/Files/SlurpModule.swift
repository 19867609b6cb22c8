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
        let program = """
            p=\(ShellWords.quote(source))
            if [ -d "$p" ]; then echo 'E source is a directory and must be a file'
            elif [ ! -e "$p" ]; then echo 'E file not found: '"$p"
            elif [ ! -r "$p" ]; then echo 'E file is not readable: '"$p"
            else printf 'C %s\\n' "$(wc -c < "$p")"; cat -- "$p"; fi
            """
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
