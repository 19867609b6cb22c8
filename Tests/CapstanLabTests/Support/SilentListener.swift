import CapstanTestSupport
import Foundation

/// A TCP listener on 127.0.0.1 whose kernel backlog accepts connections that never hear an SSH banner:
/// the stand-in for a hung server in connect-timeout tests (no traffic leaves the machine).
final class SilentListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    /// `listening: false` binds the port without listening, so connections are refused.
    init(listening: Bool = true) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = LoopbackSSHD.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, !listening || listen(fd, 16) == 0 else {
            throw HostCommand.Failure(description: "listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
