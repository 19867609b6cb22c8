import Foundation

/// Controller files read and written a chunk at a time through one reused buffer, so that a transfer
/// or a checksum needs one chunk of memory whatever the file's size.
package enum LocalFiles {
    /// Bytes per read or write.
    static let chunkSize = 1 << 20

    /// A controller file could not be read or written: which, and the system's reason.
    package struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        package var description: String { "\(path): \(reason)" }

        /// The failure `errno` describes.
        package static func errno(_ path: String) -> Failure {
            Failure(path: path, reason: String(cString: strerror(Glibc.errno)))
        }
    }

    /// Calls `body` with each chunk of the file at `path` in order; the buffer is reused, so `body`
    /// must copy what it keeps. Returns the number of bytes read.
    @discardableResult
    package static func forEachChunk(
        of path: String, chunkSize: Int = chunkSize, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.errno(path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 {
                if Glibc.errno == EINTR { continue }
                throw Failure.errno(path)
            }
            if count == 0 { return total }
            total += count
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// A file opened for writing, created with `mode` (less the umask) or truncated.
    final class Writer {
        let path: String
        private var fd: Int32

        init(creating path: String, mode: mode_t = 0o666) throws {
            self.path = path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
            guard fd >= 0 else { throw Failure.errno(path) }
        }

        /// Writes all of `bytes`.
        func write(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw Failure.errno(path)
                }
                offset += n
            }
        }

        /// Closes the file (a delayed write error, such as a full disk, can show only here).
        func finish() throws {
            defer { fd = -1 }
            if close(fd) != 0 { throw Failure.errno(path) }
        }

        deinit { if fd >= 0 { close(fd) } }
    }
}
