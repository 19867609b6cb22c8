import Synchronization

/// A command as the session loop receives it, before the loop picks the path that runs it.
struct CommandRequest {
    let host: String
    let command: String
    let options: CommandOptions
    /// Set when the caller's task was cancelled; the loop then kills the command or never starts it.
    var cancellation: CommandCancellation? = nil
    let completion: (Result<CommandResult, Error>) -> Void

    /// The same command on a channel of its own.
    func channelCommand() throws -> SSHChannelCommand {
        try SSHChannelCommand(
            host: host, command: command, options: options, cancellation: cancellation, completion: completion)
    }
}

/// One command's cancellation, shared by its caller (which sets it from a task cancellation handler) and
/// the session thread (which finds the command by it).
final class CommandCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Whether the caller gave up on the command.
    var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Marks the command cancelled (from any thread).
    func cancel() { flag.store(true, ordering: .releasing) }
}
