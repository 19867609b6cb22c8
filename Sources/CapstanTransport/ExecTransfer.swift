import CapstanBasics
import Foundation

/// File transfer through ordinary commands (`cat > tmp && mv`, `cat file`), for servers without an
/// SFTP subsystem and for transfers that need become. Binary-safe: the bytes travel as raw
/// stdin/stdout, never through the shell's parser. Controller files go a chunk per command (the
/// first creates the temporary file, the others append, the last renames), so a large file is never
/// held in memory: a command's input and output are whole byte arrays.
struct ExecTransfer {
    let connection: any Connection

    /// Bytes per command of a chunked upload or download: large enough that the per-command cost
    /// (one exec channel, and sudo with become) is small next to the transfer, small enough to hold.
    static let chunkSize = 8 << 20

    func put(
        _ contents: [UInt8], to path: String, temporary: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let tmp = ShellWords.singleQuoted(temporary)
        let script = "umask 077 && cat > \(tmp) && " + finish(temporary, to: path, attributes: attributes)
        var withInput = options
        withInput.stdin = contents
        try await run(script + " || { rm -f \(tmp); exit 1; }", options: withInput, path: path)
    }

    /// `put` for the controller file at `localPath`, `chunkSize` bytes per command.
    func upload(
        from localPath: String, to path: String, temporary: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let tmp = ShellWords.singleQuoted(temporary)
        let cleanup = " || { rm -f \(tmp); exit 1; }"
        var first = true
        // Each chunk is sent before the next is read.
        let reader = try ChunkReader(path: localPath, host: connection.host, target: path)
        while let chunk = try reader.next() {
            var withInput = options
            withInput.stdin = chunk
            let write = first ? "umask 077 && cat > \(tmp)" : "cat >> \(tmp)"
            try await run(write + cleanup, options: withInput, path: path)
            first = false
        }
        let create = first ? "umask 077 && : > \(tmp) && " : ""
        try await run(
            create + finish(temporary, to: path, attributes: attributes) + cleanup, options: options, path: path)
    }

    /// chmod and chown the temporary file, then rename it to `path`.
    private func finish(_ temporary: String, to path: String, attributes: FileAttributes) -> String {
        let tmp = ShellWords.singleQuoted(temporary)
        var steps: [String] = []
        if let mode = attributes.mode { steps.append("chmod \(String(mode, radix: 8)) \(tmp)") }
        if let spec = TemporaryPath.chownSpec(attributes) {
            steps.append("chown \(ShellWords.singleQuoted(spec)) \(tmp)")
        }
        steps.append("mv -f \(tmp) \(ShellWords.singleQuoted(path))")
        return steps.joined(separator: " && ")
    }

    func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        try await run("cat \(ShellWords.singleQuoted(path))", options: options, path: path).stdout
    }

    /// `get` into the controller file at `localPath`, `chunkSize` bytes per command (`dd` with a skip).
    func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        let writer: LocalFiles.Writer
        do { writer = try LocalFiles.Writer(creating: localPath) } catch let local as LocalFiles.Failure {
            throw ConnectionError.transferFailed(host: connection.host, path: path, detail: "cannot write \(local)")
        }
        var index = 0
        while true {
            let command =
                "dd if=\(ShellWords.singleQuoted(path)) bs=\(Self.chunkSize) skip=\(index) count=1 iflag=fullblock status=none"
            let chunk = try await run(command, options: options, path: path).stdout
            do { try chunk.withUnsafeBytes { try writer.write($0) } } catch let local as LocalFiles.Failure {
                throw ConnectionError.transferFailed(host: connection.host, path: path, detail: "cannot write \(local)")
            }
            if chunk.count < Self.chunkSize { break }
            index += 1
        }
        do { try writer.finish() } catch let local as LocalFiles.Failure {
            throw ConnectionError.transferFailed(host: connection.host, path: path, detail: "cannot write \(local)")
        }
    }

    /// Runs one transfer command; a failure carries the command's stderr ("No space left on device").
    @discardableResult
    private func run(_ script: String, options: CommandOptions, path: String) async throws -> CommandResult {
        let result = try await connection.run(script, options: options)
        guard result.succeeded else {
            throw ConnectionError.transferFailed(
                host: connection.host, path: path, detail: result.stderrText.trimmingCharacters(in: .newlines))
        }
        return result
    }
}

/// Reads a controller file one `ExecTransfer.chunkSize` array at a time.
private final class ChunkReader {
    private let fd: Int32
    private let path: String
    private let host: String
    private let target: String

    init(path: String, host: String, target: String) throws {
        self.path = path
        self.host = host
        self.target = target
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(host, target, LocalFiles.Failure.errno(path)) }
    }

    deinit { close(fd) }

    /// The next chunk, or nil at the end of the file.
    func next() throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: ExecTransfer.chunkSize)
        var filled = 0
        while filled < chunk.count {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure(host, target, LocalFiles.Failure.errno(path))
            }
            if n == 0 { break }
            filled += n
        }
        if filled == 0 { return nil }
        chunk.removeLast(chunk.count - filled)
        return chunk
    }

    private static func failure(_ host: String, _ target: String, _ local: LocalFiles.Failure) -> ConnectionError {
        .transferFailed(host: host, path: target, detail: "cannot read \(local)")
    }
}
