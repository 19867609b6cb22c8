import Foundation

/// A controller file that `copy` sends without holding it in memory: its path, size and SHA-1, the
/// SHA-1 computed a chunk at a time. An unchanged file is then recognised from its checksum alone.
public struct LocalFile: Sendable {
    /// Where it is on the controller.
    public var path: String
    /// Its size in bytes.
    public var size: Int
    /// Its SHA-1 as 40 lowercase hex digits.
    public var sha1: String

    /// Files at least this large are streamed; smaller ones travel in the write command's input
    /// (one command fewer) and are read into memory.
    public static let streamingThreshold = 1 << 20

    /// Reads the size and SHA-1 of the file at `path`.
    public init(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LocalFiles.Failure.errno(path) }
        self.path = path
        size = Int(info.st_size)
        sha1 = try Checksum.sha1Hex(file: path)
    }
}

/// Sends a `LocalFile` to a temporary file beside its destination on the node (SFTP, or a chunk per
/// command with become), for `FileShell.atomicWrite(uploaded:)` to check and rename.
enum StreamedUpload {
    /// A transfer that failed, as the task's failed outcome with the reason (`No space left on device`).
    struct Failed: Error {
        var outcome: ModuleOutcome
    }

    /// Uploads `file` next to `path` (mode 0600) and returns where it went.
    static func send(_ file: LocalFile, beside path: String, in context: ModuleContext) async throws -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let token = UUID().uuidString.prefix(8).lowercased()
        let temporary = "\(directory).capstan-upload-\(token).tmp"
        do {
            try await context.connection.upload(
                from: file.path, to: temporary, attributes: FileAttributes(mode: 0o600),
                options: context.commandOptions)
        } catch ConnectionError.transferFailed(_, _, let detail) {
            throw Failed(outcome: .failed("could not write \(path): \(detail)"))
        }
        return temporary
    }
}
