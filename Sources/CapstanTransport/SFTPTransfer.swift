import CLibSSH
import Foundation

/// SFTP uploads and downloads on the session thread, a chunk at a time: from and to memory (`put`,
/// `get`) or from and to controller files (`upload`, `download`, which never hold more than a chunk).
/// Writes go in chunks of at most 128 KiB: libssh 0.10 makes one round trip per write, and 1 MiB
/// writes killed the channel while 64–255 KiB ran at 210–270 MB/s.
enum SFTPTransfer {
    /// Bytes per SFTP read or write request.
    static let chunkSize = 128 * 1024

    /// The server has no SFTP subsystem; the caller falls back to exec channels.
    struct Unavailable: Error {}

    /// Hands each chunk of the content to its argument, in order.
    typealias Chunks = ((UnsafeRawBufferPointer) throws -> Void) throws -> Void

    /// The chunks of `contents`.
    static func chunks(of contents: [UInt8]) -> Chunks {
        { body in
            try contents.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let count = min(chunkSize, bytes.count - offset)
                    try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
                    offset += count
                }
            }
        }
    }

    /// The chunks of the controller file at `path`, read as they are sent.
    static func chunks(ofFile path: String) -> Chunks {
        { body in try LocalFiles.forEachChunk(of: path, chunkSize: chunkSize, body) }
    }

    /// A write request the server refused, or a local read that failed, while uploading.
    private struct WriteStopped: Error {
        var local: LocalFiles.Failure?
    }

    /// Writes the content to `temporaryPath` (created with mode 0600, then `mode` if given); a
    /// failure removes the partial file.
    static func write(
        _ content: Chunks, to temporaryPath: String, mode: UInt32?, context: SSHSessionContext
    ) throws {
        guard let sftp = context.sftpSession() else { throw Unavailable() }
        guard let file = sftp_open(sftp, temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600) else {
            throw failure(context, sftp, temporaryPath, "could not create the temporary file")
        }
        var written = 0
        var stopped: WriteStopped?
        do {
            try content { chunk in
                var offset = 0
                while offset < chunk.count {
                    let result = sftp_write(file, chunk.baseAddress! + offset, chunk.count - offset)
                    guard result > 0 else { throw WriteStopped() }
                    offset += result
                    written += result
                }
            }
        } catch let local as LocalFiles.Failure {
            stopped = WriteStopped(local: local)
        } catch let error as WriteStopped {
            stopped = error
        }
        // The server's reason must be read before close, which sends a request of its own.
        let refused = stopped.map { stop -> ConnectionError in
            if let local = stop.local {
                return .transferFailed(host: context.host, path: temporaryPath, detail: "cannot read \(local)")
            }
            return failure(context, sftp, temporaryPath, "write failed after \(written) bytes")
        }
        let closed = sftp_close(file) == SSH_OK
        guard refused == nil, closed else {
            let error = refused ?? failure(context, sftp, temporaryPath, "write failed after \(written) bytes")
            _ = sftp_unlink(sftp, temporaryPath)
            throw error
        }
        if let mode, sftp_chmod(sftp, temporaryPath, mode_t(mode)) != SSH_OK {
            _ = sftp_unlink(sftp, temporaryPath)
            throw failure(context, sftp, temporaryPath, "chmod failed")
        }
    }

    /// Renames `temporaryPath` to `path`; returns false when SFTP cannot do it. libssh 0.10 sends plain
    /// SFTPv3 rename, which refuses to replace an existing file; the caller then uses `mv -f`.
    static func rename(_ temporaryPath: String, to path: String, context: SSHSessionContext) throws -> Bool {
        guard let sftp = context.sftpSession() else { throw Unavailable() }
        return sftp_rename(sftp, temporaryPath, path) == SSH_OK
    }

    /// Removes a leftover temporary file, ignoring errors.
    static func remove(_ path: String, context: SSHSessionContext) {
        if let sftp = context.sftpSession() { _ = sftp_unlink(sftp, path) }
    }

    /// Reads the whole file at `path` into memory.
    static func read(_ path: String, context: SSHSessionContext) throws -> [UInt8] {
        var contents: [UInt8] = []
        try read(path, context: context) { contents.append(contentsOf: $0) }
        return contents
    }

    /// Reads the file at `path` into the controller file `localPath` (created or truncated).
    static func read(_ path: String, into localPath: String, context: SSHSessionContext) throws {
        let writer: LocalFiles.Writer
        do { writer = try LocalFiles.Writer(creating: localPath) } catch let local as LocalFiles.Failure {
            throw ConnectionError.transferFailed(host: context.host, path: path, detail: "cannot write \(local)")
        }
        do {
            try read(path, context: context) { try writer.write($0) }
            try writer.finish()
        } catch let local as LocalFiles.Failure {
            throw ConnectionError.transferFailed(host: context.host, path: path, detail: "cannot write \(local)")
        }
    }

    /// Reads the file at `path` a chunk at a time, handing each chunk to `body` in order. Up to
    /// `readAhead` requests are in flight (libssh's asynchronous reads), so a download is not one
    /// round trip per chunk.
    private static func read(
        _ path: String, context: SSHSessionContext, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let sftp = context.sftpSession() else { throw Unavailable() }
        guard let file = sftp_open(sftp, path, O_RDONLY, 0) else {
            throw failure(context, sftp, path, "could not open the file")
        }
        defer { sftp_close(file) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var inFlight: [Int32] = []
        var total: UInt64 = 0
        // Answers still owed are read and dropped, so none is left queued in the session. libssh
        // answers 0 without reading once it has seen the end of the file; seeking clears that mark.
        func drain() {
            for id in inFlight {
                _ = sftp_seek64(file, total)
                _ = sftp_async_read(file, buffer.baseAddress, UInt32(chunkSize), UInt32(id))
            }
            inFlight = []
        }
        while true {
            while inFlight.count < readAhead {
                let id = sftp_async_read_begin(file, UInt32(chunkSize))
                guard id >= 0 else {
                    drain()
                    throw failure(context, sftp, path, "read failed after \(total) bytes")
                }
                inFlight.append(id)
            }
            let id = inFlight.removeFirst()
            let count = Int(sftp_async_read(file, buffer.baseAddress, UInt32(chunkSize), UInt32(id)))
            if count == 0 { return drain() }
            guard count > 0 else {
                drain()
                throw failure(context, sftp, path, "read failed after \(total) bytes")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += UInt64(count)
            if count < chunkSize {
                // A short answer (the end of the file, or a server that reads less): the requests
                // already sent assumed full chunks, so drop them and ask again from here.
                drain()
                guard sftp_seek64(file, total) == 0 else {
                    throw failure(context, sftp, path, "read failed after \(total) bytes")
                }
            }
        }
    }

    /// SFTP read requests kept in flight during a download.
    static let readAhead = 16

    private static func failure(
        _ context: SSHSessionContext, _ sftp: sftp_session, _ path: String, _ what: String
    ) -> ConnectionError {
        let code = sftp_get_error(sftp)
        let reason: String
        switch code {
        case SSH_FX_NO_SUCH_FILE: reason = "no such file or directory"
        case SSH_FX_PERMISSION_DENIED: reason = "permission denied"
        case SSH_FX_FAILURE where diskIsFull(sftp, below: path):
            // OpenSSH's server reports ENOSPC as a bare "Failure"; the free space says why.
            reason = "No space left on device"
        default: reason = "SFTP status \(code): \(SSHSessionOptions.lastError(context.session))"
        }
        return .transferFailed(host: context.host, path: path, detail: "\(what): \(reason)")
    }

    /// Whether the file system holding `path` has less than a chunk left for unprivileged users
    /// (statvfs@openssh.com).
    private static func diskIsFull(_ sftp: sftp_session, below path: String) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        guard let info = sftp_statvfs(sftp, directory.isEmpty ? "." : directory) else { return false }
        defer { sftp_statvfs_free(info) }
        return info.pointee.f_bavail * max(info.pointee.f_frsize, 1) < UInt64(chunkSize)
    }
}
