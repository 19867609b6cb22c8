import Collections
import Foundation

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// One lab node as the system module tests use it: run a module on it (optionally in check mode),
/// run a shell command to look at its state, write a file.
struct LabNode {
    /// Why a helper shell command failed.
    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    let connection: SSHConnection

    /// Connects to node `index` (1-based), bringing the lab up if needed.
    static func open(_ index: Int) async throws -> LabNode {
        let connection = SSHConnection(endpoint: try LabNodes.up(index)[index - 1].endpoint)
        try await connection.connect()
        return LabNode(connection: connection)
    }

    /// The lab bridge's address on the host: the only non-loopback address tests may serve on.
    static var bridgeAddress: String { "\(LabNodes.subnet).1" }

    /// Runs `command` with `/bin/sh`; fails the test's step if it exits non-zero. Returns stdout
    /// without trailing line breaks.
    @discardableResult
    func sh(_ command: String) async throws -> String {
        let result = try await connection.run(command)
        guard result.succeeded else {
            throw CommandFailed(description: "\(command): exit \(result.returnCode): \(result.stderrText)")
        }
        return result.stdoutText.trimmingTrailingNewlines()
    }

    /// Writes a file on the node through `cat` (the transport's `put` cannot yet replace an existing
    /// file over SFTP: its rename fails when the target exists).
    func write(_ text: String, to path: String) async throws {
        let result = try await connection.run(
            "cat > \(ShellWords.quote(path))", options: CommandOptions(stdin: Array(text.utf8)))
        guard result.succeeded else { throw CommandFailed(description: "writing \(path): \(result.stderrText)") }
    }

    /// Checks `arguments` against `M`'s spec, builds the module and runs it on this node.
    func run<M: Module>(
        _ module: M.Type, _ arguments: OrderedDictionary<String, Value>, check: Bool = false, diff: Bool = false
    ) async throws -> ModuleOutcome {
        let checked = try ModuleArguments(arguments, spec: M.spec, module: M.name)
        let context = ModuleContext(host: connection.host, connection: connection, checkMode: check, diffMode: diff)
        return try await M(arguments: checked).run(in: context)
    }

    /// Closes the connection.
    func close() async { await connection.close() }
}
