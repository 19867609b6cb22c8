import CapstanBasics
import Foundation

/// The messages between a run and the connection keeper (`PersistServer`): one request or response
/// per frame, a 4-byte big-endian length then a compact binary body (JSON cost more CPU than the
/// command it carried). `connect` names the endpoint and gets a session number; `run` uses it.
enum PersistWire {
    /// Bumped when the messages change: it is part of the socket's name, so an older keeper is not asked.
    static let version = 3

    enum Request {
        case connect(id: UInt64, endpoint: PersistedEndpoint)
        case run(id: UInt64, session: UInt32, command: String, options: CommandOptions)
        /// The run gave up on request `id` (its task was cancelled): kill the command. No answer.
        case cancel(id: UInt64)

        var encoded: [UInt8] {
            var w = WireWriter()
            switch self {
            case .connect(let id, let endpoint):
                w.u8(1)
                w.u64(id)
                w.bytes((try? JSONEncoder().encode(endpoint)).map(Array.init) ?? [])
            case .run(let id, let session, let command, let options):
                w.u8(2)
                w.u64(id)
                w.u32(session)
                w.i64(options.timeout.map { Int64(($0.inSeconds * 1000).rounded()) } ?? -1)
                w.u8(options.subshell ? 1 : 0)
                w.optionalString(options.become?.user)
                w.optionalString(options.become?.password?.value)
                w.u32(UInt32(options.environment.count))
                for (name, value) in options.environment.sorted(by: { $0.key < $1.key }) {
                    w.string(name)
                    w.string(value)
                }
                w.string(command)
                w.bytes(options.stdin)
            case .cancel(let id):
                w.u8(3)
                w.u64(id)
            }
            return w.bytes
        }

        init?(decoding bytes: [UInt8]) {
            var r = WireReader(bytes)
            guard let kind = r.u8(), let id = r.u64() else { return nil }
            switch kind {
            case 1:
                guard let json = r.bytes(),
                    let endpoint = try? JSONDecoder().decode(PersistedEndpoint.self, from: Data(json))
                else { return nil }
                self = .connect(id: id, endpoint: endpoint)
            case 2:
                guard let session = r.u32(), let millis = r.i64(), let subshell = r.u8(), let user = r.optionalString(),
                    let password = r.optionalString(), let count = r.u32()
                else { return nil }
                var environment: [String: String] = [:]
                for _ in 0..<count {
                    guard let name = r.string(), let value = r.string() else { return nil }
                    environment[name] = value
                }
                guard let command = r.string(), let stdin = r.bytes() else { return nil }
                let options = CommandOptions(
                    timeout: millis < 0 ? nil : .milliseconds(millis), stdin: stdin, environment: environment,
                    become: user.map { user in Become(user: user, password: password.map(Secret.init)) },
                    subshell: subshell == 1)
                self = .run(id: id, session: session, command: command, options: options)
            case 3:
                self = .cancel(id: id)
            default: return nil
            }
        }
    }

    enum Response {
        case connected(id: UInt64, session: UInt32)
        case result(id: UInt64, CommandResult)
        case connectionError(id: UInt64, ConnectionError)
        case failure(id: UInt64, String)

        var id: UInt64 {
            switch self {
            case .connected(let id, _), .result(let id, _), .connectionError(let id, _), .failure(let id, _): id
            }
        }

        var encoded: [UInt8] {
            var w = WireWriter()
            w.u64(id)
            switch self {
            case .connected(_, let session):
                w.u8(0)
                w.u32(session)
            case .result(_, let result):
                w.u8(1)
                w.u8(result.exitStatus == nil ? 0 : 1)
                w.u32(UInt32(bitPattern: result.exitStatus ?? 0))
                w.optionalString(result.signal)
                w.bytes(result.stdout)
                w.bytes(result.stderr)
                let parts = result.duration.components
                w.i64(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
            case .connectionError(_, let error):
                w.u8(2)
                w.bytes((try? JSONEncoder().encode(error)).map(Array.init) ?? [])
            case .failure(_, let text):
                w.u8(3)
                w.string(text)
            }
            return w.bytes
        }

        init?(decoding bytes: [UInt8]) {
            var r = WireReader(bytes)
            guard let id = r.u64(), let kind = r.u8() else { return nil }
            switch kind {
            case 0:
                guard let session = r.u32() else { return nil }
                self = .connected(id: id, session: session)
            case 1:
                guard let hasExit = r.u8(), let exit = r.u32(), let signal = r.optionalString(), let stdout = r.bytes(),
                    let stderr = r.bytes(), let nanos = r.i64()
                else { return nil }
                self = .result(
                    id: id,
                    CommandResult(
                        exitStatus: hasExit == 1 ? Int32(bitPattern: exit) : nil, signal: signal, stdout: stdout,
                        stderr: stderr, duration: .nanoseconds(nanos)))
            case 2:
                guard let json = r.bytes(),
                    let error = try? JSONDecoder().decode(ConnectionError.self, from: Data(json))
                else { return nil }
                self = .connectionError(id: id, error)
            case 3:
                guard let text = r.string() else { return nil }
                self = .failure(id: id, text)
            default: return nil
            }
        }
    }

    /// Writes one frame; false when the peer is gone.
    static func send(_ body: [UInt8], to fd: Int32) -> Bool {
        var frame = WireWriter()
        frame.u32(UInt32(body.count))
        frame.bytes.append(contentsOf: body)
        return frame.bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Reads one frame's body; nil at end of stream.
    static func receive(from fd: Int32) -> [UInt8]? {
        var header = [UInt8](repeating: 0, count: 4)
        guard readAll(fd, &header) else { return nil }
        let length = Int(header.reduce(0) { $0 << 8 | UInt32($1) })
        guard length < 1 << 30 else { return nil }
        var body = [UInt8](repeating: 0, count: length)
        guard readAll(fd, &body) else { return nil }
        return body
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private static func readAll(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}

/// Big-endian integers and length-prefixed byte strings.
struct WireWriter {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func bytes(_ v: [UInt8]) {
        u32(UInt32(v.count))
        bytes.append(contentsOf: v)
    }
    mutating func string(_ v: String) { bytes(Array(v.utf8)) }
    mutating func optionalString(_ v: String?) {
        u8(v == nil ? 0 : 1)
        if let v { string(v) }
    }
}

/// Reads what `WireWriter` wrote; every read is nil past the end. An absent optional string reads as
/// `.some(nil)`, a truncated one as `nil`.
struct WireReader {
    private let data: [UInt8]
    private var index = 0
    init(_ data: [UInt8]) { self.data = data }

    mutating func u8() -> UInt8? {
        guard index < data.count else { return nil }
        defer { index += 1 }
        return data[index]
    }
    mutating func u32() -> UInt32? { integer(4).map { UInt32($0) } }
    mutating func u64() -> UInt64? { integer(8) }
    mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }
    mutating func bytes() -> [UInt8]? {
        guard let count = u32().map(Int.init), index + count <= data.count else { return nil }
        defer { index += count }
        return Array(data[index..<(index + count)])
    }
    mutating func string() -> String? { bytes().map { String(decoding: $0, as: UTF8.self) } }
    mutating func optionalString() -> String?? {
        guard let flag = u8() else { return nil }
        if flag == 0 { return .some(nil) }
        return string().map { .some($0) }
    }

    private mutating func integer(_ width: Int) -> UInt64? {
        guard index + width <= data.count else { return nil }
        defer { index += width }
        return data[index..<(index + width)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// The parts of an `SSHEndpoint` a keeper needs to open the same session. Endpoints holding a secret
/// (password, key passphrase) are never persisted: those runs connect themselves. The keeper has no
/// terminal to ask for a key's passphrase: an encrypted key without an agent fails to load there.
struct PersistedEndpoint: Codable, Sendable, Hashable {
    var host: String
    var port: Int?
    var user: String?
    var privateKeyPath: String?
    var useAgent: Bool
    var connectTimeout: Int
    var hostKeyPolicy: String
    var knownHostsFile: String?
    var globalKnownHostsFile: String?
    var sshDirectory: String?
    /// `none`, `userAndSystem` or `file:<path>`.
    var config: String
    var maxChannels: Int
    var keepaliveInterval: Int
    var keepaliveCountMax: Int?
    var residentShell: Bool

    init?(_ endpoint: SSHEndpoint) {
        guard endpoint.password == nil, endpoint.privateKeyPassphrase == nil else { return nil }
        host = endpoint.host
        port = endpoint.port
        user = endpoint.user
        privateKeyPath = endpoint.privateKeyPath
        useAgent = endpoint.useAgent
        connectTimeout = endpoint.connectTimeout
        hostKeyPolicy = endpoint.hostKeyPolicy.rawValue
        knownHostsFile = endpoint.knownHostsFile
        globalKnownHostsFile = endpoint.globalKnownHostsFile
        sshDirectory = endpoint.sshDirectory
        switch endpoint.config {
        case .none: config = "none"
        case .userAndSystem: config = "userAndSystem"
        case .file(let path): config = "file:" + path
        }
        maxChannels = endpoint.maxChannels
        keepaliveInterval = endpoint.keepaliveInterval
        keepaliveCountMax = endpoint.keepaliveCountMax
        residentShell = endpoint.residentShell
    }

    var sshEndpoint: SSHEndpoint {
        var endpoint = SSHEndpoint(
            host: host, port: port, user: user, privateKeyPath: privateKeyPath, connectTimeout: connectTimeout,
            hostKeyPolicy: HostKeyPolicy(rawValue: hostKeyPolicy) ?? .strict, knownHostsFile: knownHostsFile,
            sshDirectory: sshDirectory,
            config: config == "none"
                ? .none : config.hasPrefix("file:") ? .file(String(config.dropFirst(5))) : .userAndSystem)
        endpoint.useAgent = useAgent
        endpoint.globalKnownHostsFile = globalKnownHostsFile
        endpoint.maxChannels = maxChannels
        endpoint.keepaliveInterval = keepaliveInterval
        endpoint.keepaliveCountMax = keepaliveCountMax ?? endpoint.keepaliveCountMax
        endpoint.residentShell = residentShell
        return endpoint
    }
}

/// Unix-domain socket helpers.
enum UnixSocket {
    /// A connected socket to `path`, or nil (nothing listening, stale file, too long a path).
    static func connect(to path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let ok = withAddress(path) { Glibc.connect(fd, $0, $1) == 0 } ?? false
        if !ok {
            close(fd)
            return nil
        }
        return fd
    }

    /// A listening socket at `path` (mode 0600); nil if it cannot be made.
    static func listen(at path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let old = umask(0o077)
        let bound = withAddress(path) { bind(fd, $0, $1) == 0 } ?? false
        umask(old)
        guard bound, Glibc.listen(fd, 64) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    private static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
