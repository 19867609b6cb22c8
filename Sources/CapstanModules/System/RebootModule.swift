import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `reboot`: Ansible's action plugin. Reads the boot time (`boot_time_command`, by default the
/// kernel's boot id), runs the reboot command (`shutdown -r` found in `search_paths`, or
/// `reboot_command`), then, after `post_reboot_delay`, checks on fresh sessions until the boot time
/// differs and then until `test_command` succeeds, each phase within `reboot_timeout`, backing off
/// as Ansible does (1, 2, 4, 8, then 12 seconds). The session dies with the reboot: a lost connection
/// while the reboot command runs counts as success, and every later attempt reconnects.
public struct RebootModule: Module {
    public static let name = "reboot"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("boot_time_command", default: "cat /proc/sys/kernel/random/boot_id"),
            ArgumentDefinition("connect_timeout", .int),
            ArgumentDefinition("msg", default: "Reboot initiated by Ansible"),
            ArgumentDefinition("post_reboot_delay", .int, default: 0),
            ArgumentDefinition("pre_reboot_delay", .int, default: 0), ArgumentDefinition("reboot_command"),
            ArgumentDefinition("reboot_timeout", .int, default: 600),
            ArgumentDefinition(
                "search_paths", .list, default: ["/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"]),
            ArgumentDefinition("test_command", default: "whoami"),
        ], unknownKeys: .rejected { "Invalid options for reboot: " + $0.sorted().joined(separator: ",") })
    /// The engine does not connect first: the module handles a lost session itself.
    public static let runsOnController = true

    let bootTimeCommand: String
    let connectTimeout: Int?
    let postRebootDelay: Int
    let rebootTimeout: Int
    let testCommand: String
    /// The reboot program's name or path, and its arguments as shell text.
    let program: String
    let programArguments: String
    let searchPaths: [String]

    public init(arguments: ModuleArguments) throws {
        func int(_ name: String, _ fallback: Int) -> Int {
            if case .int(let i)? = arguments[name] { return i }
            return fallback
        }
        let boot = arguments.string("boot_time_command") ?? ""
        bootTimeCommand = boot.isEmpty ? "cat /proc/sys/kernel/random/boot_id" : boot
        if case .int(let t)? = arguments["connect_timeout"], t > 0 { connectTimeout = t } else { connectTimeout = nil }
        postRebootDelay = max(int("post_reboot_delay", 0), 0)
        rebootTimeout = int("reboot_timeout", 600)
        testCommand = arguments.string("test_command") ?? "whoami"
        searchPaths = (arguments["search_paths"]?.listValue ?? []).map(\.pythonString)
        if let command = arguments.string("reboot_command") {
            let parts = command.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            program = String(parts[0])
            programArguments = parts.count > 1 ? String(parts[1]) : ""
        } else {
            // Ansible's Linux default: `shutdown -r {delay_min} "{message}"`, minutes rounded down.
            let delay = max(int("pre_reboot_delay", 0), 0)
            program = "shutdown"
            programArguments = "-r \(delay / 60) \"\(arguments.string("msg") ?? "Reboot initiated by Ansible")\""
        }
        if program.isEmpty {
            throw ModuleArgumentError(module: Self.name, message: "Invalid value given for 'reboot_command': empty.")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if context.connection.isLocal {
            return .failed(
                "Running reboot with local connection would reboot the control node.",
                ["elapsed": 0, "rebooted": false])
        }
        if context.checkMode { return ModuleOutcome(status: .changed, fields: ["elapsed": 0, "rebooted": true]) }
        let connection = context.connection
        // The commands Ansible runs with `_low_level_execute_command` are the user's: plain `sh -c`.
        var userOptions = context.commandOptions
        userOptions.subshell = false
        let options = userOptions
        try await connection.connect()
        let before = try await connection.run(bootTimeCommand, options: options)
        guard before.succeeded else {
            return .failed(
                "reboot: failed to get host boot time info, rc: \(before.exitStatus.map(String.init) ?? "-1"), "
                    + "stdout: \(before.stdoutText), stderr: \(before.stderrText)", ["reboot": false])
        }
        let previousBoot = before.stdoutText.trimmingWhitespace()
        var path = program
        if !program.hasPrefix("/") {
            let found = try await RemoteProgram.run(
                ["bin": program, "paths": searchPaths.joined(separator: "\n")], NodePrograms.rebootCommandPath,
                in: context)
            guard let resolved = found["path"] else {
                let list = "[" + searchPaths.map { "'\($0)'" }.joined(separator: ", ") + "]"
                // Ansible raises this as an error of the task (no `rebooted` key).
                return .failed("Task failed: Unable to find command \"\(program)\" in search paths: \(list)")
            }
            path = resolved
        }
        let attemptLimit = Duration.seconds(connectTimeout ?? 30)
        do {
            // A reboot that closes the session, or keeps it hanging, has started.
            let reboot = try await connection.run(
                ShellWords.quote(path) + " " + programArguments, options: options.until(.now + attemptLimit))
            if !reboot.succeeded {
                return .failed(
                    "Reboot command failed. Error was: '\(reboot.stdoutText.trimmingWhitespace()), "
                        + "\(reboot.stderrText.trimmingWhitespace())'", ["rebooted": false, "elapsed": 0])
            }
        } catch let error as ConnectionError where error.isUnreachable || Self.isTimeout(error) {}
        let start = ContinuousClock.now
        if postRebootDelay > 0 { try? await Task.sleep(for: .seconds(postRebootDelay)) }
        func elapsed() -> Value { .int(Int((ContinuousClock.now - start).components.seconds)) }
        let bootCommand = bootTimeCommand
        let booted = await HostReachability.retry(
            on: connection, until: .now + .seconds(rebootTimeout), attemptLimit: attemptLimit, pause: Self.backoff
        ) { deadline in
            try await connection.connect()
            let now = try await connection.run(bootCommand, options: options.until(deadline))
            let boot = now.stdoutText.trimmingWhitespace()
            guard now.succeeded, !boot.isEmpty, boot != previousBoot else {
                throw HostReachability.Failure(description: "boot time has not changed")
            }
        }
        guard case .success = booted else {
            return .failed(
                "Timed out waiting for last boot time check (timeout=\(rebootTimeout))",
                ["rebooted": true, "elapsed": elapsed()])
        }
        let test = testCommand
        let tested = await HostReachability.retry(
            on: connection, until: .now + .seconds(rebootTimeout), attemptLimit: attemptLimit, pause: Self.backoff
        ) { deadline in
            try await connection.connect()
            let result = try await connection.run(test, options: options.until(deadline))
            guard result.succeeded else {
                throw HostReachability.Failure(
                    description: "Test command failed: \(result.stderrText) \(result.stdoutText)")
            }
        }
        guard case .success = tested else {
            return .failed(
                "Timed out waiting for post-reboot test command (timeout=\(rebootTimeout))",
                ["rebooted": true, "elapsed": elapsed()])
        }
        return ModuleOutcome(status: .changed, fields: ["rebooted": true, "elapsed": elapsed()])
    }

    static func isTimeout(_ error: ConnectionError) -> Bool {
        if case .commandTimeout = error { return true }
        return false
    }

    /// Ansible's pause after the n-th failure: 2^n seconds plus up to one, at most 12 plus up to one.
    static func backoff(_ failures: Int) -> Duration {
        .seconds(Double(min(1 << min(failures, 4), 12)) + Double.random(in: 0..<1))
    }
}
