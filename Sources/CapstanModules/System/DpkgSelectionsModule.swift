import CapstanBasics
import CapstanTransport
import Collections

/// `dpkg_selections` (ansible.builtin): reads the package's selection with `dpkg --get-selections`
/// and, when it differs (and not in check mode), sets it with `dpkg --set-selections`; returns
/// `before` and `after` as Ansible's module does (`not present` for a package dpkg does not know).
public struct DpkgSelectionsModule: Module {
    public static let name = "dpkg_selections"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true),
        ArgumentDefinition("selection", required: true, choices: ["install", "hold", "deinstall", "purge"]),
    ])

    let package: String
    let selection: String

    public init(arguments: ModuleArguments) throws {
        package = arguments.string("name") ?? ""
        selection = arguments.string("selection") ?? ""
    }

    /// dpkg speaks in the C locale, as Ansible runs it (`get_best_parsable_locale`).
    static let environment = "LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C LANGUAGE=C"

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let get = try await context.connection.run(
            "\(Self.environment) dpkg --get-selections \(ShellWords.quote(package))", options: context.commandOptions)
        if get.exitStatus == 127 { return .failed("Failed to find required executable \"dpkg\"") }
        if !get.succeeded { return Self.commandFailure(get) }
        if get.stderrText.contains("no packages found matching") {
            return .failed("Failed to find package '\(package)' to perform selection '\(selection)'.")
        }
        let words = get.stdoutText.split(whereSeparator: \.isWhitespace)
        let current = get.stdout.isEmpty ? "not present" : words.count > 1 ? String(words[1]) : ""
        let changed = current != selection
        let fields: OrderedDictionary<String, Value> = ["before": .string(current), "after": .string(selection)]
        if context.checkMode || !changed { return ModuleOutcome(status: changed ? .changed : .ok, fields: fields) }
        var options = context.commandOptions
        options.stdin = Array("\(package) \(selection)".utf8)
        let set = try await context.connection.run("\(Self.environment) dpkg --set-selections", options: options)
        if !set.succeeded { return Self.commandFailure(set) }
        return ModuleOutcome(status: .changed, fields: fields)
    }

    /// `check_rc=True`'s failure: the command's stderr (or stdout) as the message, with rc and output.
    static func commandFailure(_ result: CommandResult) -> ModuleOutcome {
        let stderr = result.stderrText.trimmingTrailingNewlines()
        let stdout = result.stdoutText
        return .failed(
            stderr.isEmpty ? stdout.trimmingTrailingNewlines() : stderr,
            ["rc": .int(result.returnCode), "stdout": .string(stdout), "stderr": .string(result.stderrText)])
    }
}
