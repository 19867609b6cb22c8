import ArgumentParser
import CapstanTransport

/// `capstan connection-keeper`: the background process `--ssh-persist` starts (not for direct use).
struct ConnectionKeeperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection-keeper", abstract: "Hold SSH sessions for --ssh-persist (started by capstan).",
        shouldDisplay: false)

    @Option(help: "The Unix socket to listen on.") var socket: String
    @Option(help: "Exit after this many seconds without a run.") var idle: Int = 60

    func run() async throws {
        let server = PersistServer(socketPath: socket, idleSeconds: max(1, idle))
        // Another keeper got there first: it serves.
        guard server.bind() else { return }
        await server.serve()
    }
}
