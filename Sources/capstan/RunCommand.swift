import ArgumentParser
import CapstanExecution
import CapstanModules

/// `capstan run PATTERN -m MODULE -a ARGS`: one module on many hosts, like `ansible PATTERN -m`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one module on the hosts matching a pattern (like `ansible PATTERN -m MODULE -a ARGS`).",
        discussion: ExitStatus.table)

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Host pattern: all, a group, a:b, a:&b, a:!b, ~regex, group[0:2].")
    var pattern: String

    @Option(name: [.short, .customLong("module-name")], help: "Module to run.")
    var module: String = "command"

    @Option(name: [.short, .customLong("args")], help: "Module arguments: k=v words, or the command line.")
    var args: String = ""

    @Flag(name: [.customShort("C"), .customLong("check")], help: "Predict changes without making them.")
    var check = false

    func run() async throws {
        let command = AdHocCommand(
            inventorySources: inventory.sources, pattern: pattern, limit: inventory.limit, moduleName: module,
            argumentText: args, forks: connection.forks, checkMode: check,
            connectionDefaults: try connection.defaults())
        try await AdHocDriver.run(command, output: output)
    }
}

/// `capstan ping [PATTERN]`: checks every host can be reached and can run a command.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping", abstract: "Check that hosts can be reached and can run commands.",
        discussion: ExitStatus.table)

    @OptionGroup var inventory: InventoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Host pattern (default: all).")
    var pattern: String = "all"

    func run() async throws {
        let command = AdHocCommand(
            inventorySources: inventory.sources, pattern: pattern, limit: inventory.limit, moduleName: "ping",
            forks: connection.forks, connectionDefaults: try connection.defaults())
        try await AdHocDriver.run(command, output: output)
    }
}
