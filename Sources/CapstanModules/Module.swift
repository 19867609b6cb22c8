import CapstanBasics
import CapstanResults
import CapstanTransport
import Collections
import Foundation
import OrderedCollections

/// A task kind (`command`, `copy`, `apt`, ...): it reads its arguments once, then on each host checks
/// and changes in as few remote commands as it can, and says what it did.
public protocol Module: Sendable {
    /// The short name (`command`); `ansible.builtin.command` and `ansible.legacy.command` also find it.
    static var name: String { get }
    /// The arguments this module takes, checked before anything runs.
    static var spec: ArgumentSpec { get }
    /// Whether the module works on the controller only (`pause`): the engine then does not connect
    /// to the host first, so an unreachable host does not stop it. False unless the module says so.
    static var runsOnController: Bool { get }
    /// Builds the module from checked arguments.
    init(arguments: ModuleArguments) throws
    /// Does the work on one host.
    func run(in context: ModuleContext) async throws -> ModuleOutcome
}

extension Module {
    /// Modules work on the host.
    public static var runsOnController: Bool { false }
}

/// What a module is given to do its work on one host.
public struct ModuleContext: Sendable {
    /// The inventory name of the host.
    public var host: String
    /// The host's connection, already open or opened on first use.
    public var connection: any Connection
    /// `--check`: predict, change nothing.
    public var checkMode: Bool
    /// `--diff`: report what changed.
    public var diffMode: Bool
    /// Options for every command the module runs (timeout, become, environment).
    public var commandOptions: CommandOptions
    /// Controller folders where a relative `src:` (copy, template) is looked up, first match wins:
    /// Ansible's role `files/` folders and the playbook folder. Defaults to the working directory.
    public var searchPaths: [String]

    public init(
        host: String, connection: any Connection, checkMode: Bool = false, diffMode: Bool = false,
        commandOptions: CommandOptions = CommandOptions(), searchPaths: [String]? = nil
    ) {
        self.host = host
        self.connection = connection
        self.checkMode = checkMode
        self.diffMode = diffMode
        self.commandOptions = commandOptions
        self.searchPaths = searchPaths ?? [FileManager.default.currentDirectoryPath]
    }
}

/// What a module did on one host: a status and the fields a `register:` would hold.
public struct ModuleOutcome: Sendable {
    /// `ok`, `changed`, `failed` or `skipped`.
    public var status: TaskStatus
    /// The registered result (`changed`, `msg`, `rc`, ...), with `changed` and `failed` set from `status`.
    public var fields: OrderedDictionary<String, Value>

    /// `changed` defaults to `status == .changed`; a failure may say it had already changed
    /// something (a failing `command` did run), which shows when `failed_when` clears the failure.
    public init(status: TaskStatus, fields: OrderedDictionary<String, Value> = [:], changed: Bool? = nil) {
        self.status = status
        var fields = fields
        fields["changed"] = .bool(changed ?? (status == .changed))
        if status == .failed { fields["failed"] = .bool(true) }
        if status == .skipped { fields["skipped"] = .bool(true) }
        self.fields = fields
    }

    /// A failure with Ansible's `msg`.
    public static func failed(_ message: String, _ extra: OrderedDictionary<String, Value> = [:]) -> ModuleOutcome {
        var fields = extra
        fields["msg"] = .string(message)
        return ModuleOutcome(status: .failed, fields: fields)
    }
}
