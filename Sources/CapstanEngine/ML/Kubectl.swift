/// kubectl as `capstan ml status|check` run it: on the first control plane over its connection
/// with kubeadm's admin kubeconfig, or on this machine (a `LocalConnection`) with a fetched one.
/// Manifests go on standard input, never on the command line.
public struct Kubectl: Sendable {
    /// Where kubectl runs.
    public let connection: any Connection
    /// The kubeconfig path on that machine.
    public let kubeconfig: String
    /// Become and environment settings for each command (from the host's inventory settings).
    public let options: CommandOptions

    /// kubectl over `connection` with `kubeconfig`.
    public init(connection: any Connection, kubeconfig: String, options: CommandOptions = CommandOptions()) {
        self.connection = connection
        self.kubeconfig = kubeconfig
        self.options = options
    }

    /// Runs `kubectl --kubeconfig KUBECONFIG ARGS...`, `stdin` on its standard input, stopping it
    /// after `timeout`.
    public func run(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws
        -> CommandResult
    {
        var options = self.options
        options.timeout = timeout
        if let stdin { options.stdin = Array(stdin.utf8) }
        let line = "kubectl " + ShellWords.join(["--kubeconfig", kubeconfig] + arguments)
        return try await connection.run(line, options: options)
    }

    /// Runs kubectl and parses its standard output as JSON; throws `KubectlError` when it fails.
    public func json(_ arguments: [String]) async throws -> Value {
        let result = try await run(arguments)
        guard result.succeeded else { throw KubectlError(arguments: arguments, result: result) }
        return try Value(jsonText: result.stdoutText)
    }
}

/// kubectl exited non-zero.
public struct KubectlError: Error, CustomStringConvertible {
    /// What kubectl was asked to do (no secrets are ever passed as arguments).
    public var arguments: [String]
    /// Its exit code and error output.
    public var returnCode: Int
    public var stderr: String

    init(arguments: [String], result: CommandResult) {
        self.arguments = arguments
        self.returnCode = result.returnCode
        self.stderr = result.stderrText.trimmingTrailingNewlines()
    }

    public var description: String {
        "kubectl \(arguments.joined(separator: " ")) failed (exit \(returnCode)): \(stderr)"
    }
}
