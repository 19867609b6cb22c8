/// A command as the session loop receives it, before the loop picks the path that runs it.
struct CommandRequest {
    let host: String
    let command: String
    let options: CommandOptions
    let completion: (Result<CommandResult, Error>) -> Void

    /// The same command on a channel of its own.
    func channelCommand() throws -> SSHChannelCommand {
        try SSHChannelCommand(host: host, command: command, options: options, completion: completion)
    }
}
