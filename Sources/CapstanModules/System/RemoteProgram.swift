import CapstanBasics
import CapstanTransport
import Collections

/// What one of the system modules' sh programs reported: `key=value` lines on standard output, the
/// exit status, and standard error (the failure message when the status is not 0).
struct ProgramReport: Sendable {
    /// Every `key=value` line in order; a key may repeat (`action=enable`, `action=start`).
    var pairs: [(key: String, value: String)]
    /// The program's exit status (`nil` when killed by a signal).
    var exitStatus: Int32?
    /// Standard error, trailing line breaks removed.
    var stderr: String
    /// Standard output as it came, for programs that print binary records.
    var rawStdout: [UInt8]

    init(_ result: CommandResult) {
        pairs = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            guard let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
        exitStatus = result.exitStatus
        stderr = result.stderrText.trimmingTrailingNewlines()
        rawStdout = result.stdout
    }

    /// The last value reported for `key`.
    subscript(key: String) -> String? { pairs.last { $0.key == key }?.value }

    /// Every value reported for `key`, in order.
    func all(_ key: String) -> [String] { pairs.filter { $0.key == key }.map(\.value) }

    /// Whether `key` was reported as `1`.
    func flag(_ key: String) -> Bool { self[key] == "1" }

    /// The pairs whose key starts with `prefix`, prefix removed, as an Ansible dict of strings.
    func dict(prefix: String) -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        for (key, value) in pairs where key.hasPrefix(prefix) {
            out[String(key.dropFirst(prefix.count))] = .string(value)
        }
        return out
    }

    /// True when the program exited with status 0.
    var succeeded: Bool { exitStatus == 0 }
}

/// Builds and runs the system modules' one-round-trip sh programs: assignments of quoted values, a
/// shared prelude of helpers, then the module's own body.
enum RemoteProgram {
    /// Helpers every program may use (`helpers`), the tools run in the C locale: as Ansible's modules
    /// run theirs (`LANG=C LC_ALL=C`), so that what a program parses does not depend on the node's
    /// language, and a quarter cheaper per process than loading a UTF-8 locale in each.
    static let prelude = FileShell.cLocale + helpers

    /// `say KEY VALUE` reports a pair (line breaks folded to spaces, so one pair stays one line; only a
    /// value holding one costs a `tr`, the others no process at all), `die MESSAGE` fails with the
    /// message on standard error (`program-helpers.sh`).
    static let helpers = NodePrograms.programHelpers

    /// `name=<quoted value>` lines for the program's inputs; values are never spliced in unquoted.
    static func assignments(_ values: KeyValuePairs<String, String>) -> String {
        values.map { "\($0.key)=\(ShellWords.quote($0.value))\n" }.joined()
    }

    /// `1` or `0` for a shell flag.
    static func flag(_ on: Bool) -> String { on ? "1" : "0" }

    /// Runs `body` after the inputs and the prelude, with the context's command options.
    static func run(
        _ inputs: KeyValuePairs<String, String>, _ body: String, in context: ModuleContext
    ) async throws -> ProgramReport {
        try await run(inputs, body, with: context.commandOptions, in: context)
    }

    /// Runs `body` after the inputs and the prelude, with `options` (a timeout or stdin of its own).
    static func run(
        _ inputs: KeyValuePairs<String, String>, _ body: String, with options: CommandOptions, in context: ModuleContext
    ) async throws -> ProgramReport {
        let program = assignments(inputs) + prelude + body
        return ProgramReport(try await context.connection.run(program, options: options))
    }
}

extension ModuleArguments {
    /// A boolean argument that may be absent (`enabled`, `masked`): `nil` means "leave it alone".
    func optionalBool(_ name: String) -> Bool? {
        if case .bool(let b)? = self[name] { return b }
        return nil
    }
}
