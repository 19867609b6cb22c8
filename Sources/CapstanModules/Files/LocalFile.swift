import CapstanTransport
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

    /// Reads the size and SHA-1 of the file at `path` (computed once per run for each version of the
    /// file, however many hosts copy it).
    public init(path: String) throws {
        let digests = try LocalFileDigests.shared.entry(for: path)
        self.path = path
        size = digests.size
        sha1 = try digests.sha1()
    }

    /// The file's MD5 (copy's `md5sum`), computed once per run like the SHA-1.
    func md5() throws -> String { try LocalFileDigests.shared.entry(for: path).md5() }
}

/// The checksums of controller files, kept for the run: a file copied to 100 hosts is read and hashed
/// once, not once per host. An entry is keyed by the file's identity and version (device, inode,
/// size, modification time), so a file changed during the run is hashed again.
final class LocalFileDigests: @unchecked Sendable {
    static let shared = LocalFileDigests()

    private struct Key: Hashable {
        var path: String
        var device: UInt64
        var inode: UInt64
        var size: Int
        var modified: Int
        var modifiedNanoseconds: Int
    }

    /// One version of one file; the first host to ask computes a digest, the others wait for it.
    final class Entry: @unchecked Sendable {
        let path: String
        let size: Int
        private let lock = NSLock()
        private var sha1Hex: String?
        private var md5Hex: String?

        init(path: String, size: Int) {
            self.path = path
            self.size = size
        }

        func sha1() throws -> String {
            try lock.withLock {
                if let sha1Hex { return sha1Hex }
                let made = try Checksum.sha1Hex(file: path)
                sha1Hex = made
                return made
            }
        }

        func md5() throws -> String {
            try lock.withLock {
                if let md5Hex { return md5Hex }
                let made = try Checksum.md5Hex(file: path)
                md5Hex = made
                return made
            }
        }
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    /// The entry for the file now at `path`.
    func entry(for path: String) throws -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else { throw LocalFiles.Failure.errno(path) }
        let key = Key(
            path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int(info.st_size),
            modified: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
        return lock.withLock {
            if let entry = entries[key] { return entry }
            let entry = Entry(path: path, size: key.size)
            entries[key] = entry
            return entry
        }
    }
}

/// Sends a `LocalFile` to a temporary file beside its destination on the node (SFTP, or a chunk per
/// command with become), for `FileShell.atomicWrite(.uploaded(path:))` to check and rename.
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
