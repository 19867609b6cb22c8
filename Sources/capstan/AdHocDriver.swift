import ArgumentParser
import CapstanEngine

/// Runs an ad-hoc command, prints warnings and errors Ansible-style, and exits with Capstan's code.
enum AdHocDriver {
    static func run(_ command: AdHocCommand, output: OutputOptions) async throws {
        var warnings: [Warning] = []
        let code: ExitStatus
        do {
            code = try await command.execute(sink: output.sink(), warnings: &warnings)
        } catch {
            Diagnostics.printWarnings(warnings)
            throw Diagnostics.fail(error)
        }
        Diagnostics.printWarnings(warnings)
        if code == .noHostsMatched {
            Diagnostics.printError("no hosts matched the pattern '\(command.pattern)'")
        }
        if code != .success { throw ExitCode(code.rawValue) }
    }
}
