import CLibSSH
import Foundation

/// SFTP uploads and downloads on the session thread. Writes go in chunks of at most 128 KiB: libssh 0.10
/// makes one round trip per write, and 1 MiB writes killed the channel while 64–255 KiB ran at
/// 210–270 MB/s.
enum SFTPTransfer {
    /// Bytes per SFTP read or write request.
    static let chunkSize = 128 * 1024

    /// The server has no SFTP subsystem; the caller falls back to exec channels.
    struct Unavailable: Error {}

    /// Writes `contents` to `temporaryPath` (created with mode 0600, then `mode` if given).
    static func write(
        _ contents: [UInt8], to temporaryPath: String, mode: UInt32?, context: SSHSessionContext
    ) throws {
        guard let sftp = context.sftpSession() else { throw Unavailable() }
        guard let file = sftp_open(sftp, temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600) else {
            throw failure(context, sftp, temporaryPath, "could not create the temporary file")
        }
        var offset = 0
        var written = true
        contents.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let count = min(chunkSize, bytes.count - offset)
                let result = sftp_write(file, bytes.baseAddress! + offset, count)
                guard result > 0 else {
                    written = false
                    return
                }
                offset += result
            }
        }
        let closed = sftp_close(file) == SSH_OK
        guard written, closed else {
            _ = sftp_unlink(sftp, temporaryPath)
            throw failure(context, sftp, temporaryPath, "write failed after \(offset) bytes")
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

    /// Reads the whole file at `path`.
    static func read(_ path: String, context: SSHSessionContext) throws -> [UInt8] {
        guard let sftp = context.sftpSession() else { throw Unavailable() }
        guard let file = sftp_open(sftp, path, O_RDONLY, 0) else {
            throw failure(context, sftp, path, "could not open the file")
        }
        defer { sftp_close(file) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { sftp_read(file, $0.baseAddress, chunkSize) }
            if count == 0 { return contents }
            guard count > 0 else { throw failure(context, sftp, path, "read failed after \(contents.count) bytes") }
            contents += buffer[0..<count]
        }
    }

    private static func failure(
        _ context: SSHSessionContext, _ sftp: sftp_session, _ path: String, _ what: String
    ) -> ConnectionError {
        let code = sftp_get_error(sftp)
        let reason: String
        switch code {
        case SSH_FX_NO_SUCH_FILE: reason = "no such file or directory"
        case SSH_FX_PERMISSION_DENIED: reason = "permission denied"
        default: reason = "SFTP status \(code): \(SSHSessionOptions.lastError(context.session))"
        }
        return .transferFailed(host: context.host, path: path, detail: "\(what): \(reason)")
    }
}
