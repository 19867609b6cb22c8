/// File transfer through ordinary commands (`cat > tmp && mv`, `cat file`), for servers without an
/// SFTP subsystem and for transfers that need become. Binary-safe: the bytes travel as raw
/// stdin/stdout, never through the shell's parser.
struct ExecTransfer {
    let connection: any Connection

    func put(
        _ contents: [UInt8], to path: String, temporary: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let tmp = ShellCommand.quote(temporary)
        var steps = ["umask 077", "cat > \(tmp)"]
        if let mode = attributes.mode { steps.append("chmod \(String(mode, radix: 8)) \(tmp)") }
        if let spec = TemporaryPath.chownSpec(attributes) { steps.append("chown \(ShellCommand.quote(spec)) \(tmp)") }
        steps.append("mv -f \(tmp) \(ShellCommand.quote(path))")
        let script = steps.joined(separator: " && ") + " || { rm -f \(tmp); exit 1; }"
        var withInput = options
        withInput.stdin = contents
        let result = try await connection.run(script, options: withInput)
        guard result.succeeded else {
            throw ConnectionError.transferFailed(
                host: connection.host, path: path, detail: result.stderrText.trimmingCharacters(in: .newlines))
        }
    }

    func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        let result = try await connection.run("cat \(ShellCommand.quote(path))", options: options)
        guard result.succeeded else {
            throw ConnectionError.transferFailed(
                host: connection.host, path: path, detail: result.stderrText.trimmingCharacters(in: .newlines))
        }
        return result.stdout
    }
}
