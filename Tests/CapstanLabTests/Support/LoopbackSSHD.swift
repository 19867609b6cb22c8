import CapstanTestSupport
import Foundation

@testable import CapstanTransport

/// A throwaway OpenSSH server on 127.0.0.1 and a random high port, owned by one test and killed when
/// it is stopped or deinitialised: its own host key, authorized_keys, client key and known_hosts.
final class LoopbackSSHD: @unchecked Sendable {
    /// Everything lives here.
    let directory: String
    let port: Int
    /// The client's private key, authorised for every user (StrictModes is off).
    let clientKey: String
    let hostKeyPublic: String
    /// A known_hosts file that records this server.
    let knownHosts: String
    /// An empty `~/.ssh` so the real user's config, keys and agent never leak into tests.
    let sshDirectory: String
    private var pid: pid_t?
    /// Shell commands run in the server's private mount namespace before sshd starts.
    private let namespaceSetup: String

    /// Starts sshd; `sftp: false` leaves out the SFTP subsystem, `extraConfig` adds sshd_config lines,
    /// `namespaceSetup` runs in the server's own mount namespace first (a small tmpfs that only the
    /// server sees, gone with it; `$D` is `directory`).
    init(sftp: Bool = true, extraConfig: [String] = [], namespaceSetup: String = "") throws {
        self.namespaceSetup = namespaceSetup
        directory = try HostCommand.temporaryDirectory("sshd")
        // sshd reads authorized_keys as the target user, so the path must be traversable by others.
        _ = chmod(directory, 0o755)
        clientKey = directory + "/id_ed25519"
        hostKeyPublic = directory + "/host_key.pub"
        knownHosts = directory + "/known_hosts"
        sshDirectory = directory + "/dot-ssh"
        try FileManager.default.createDirectory(atPath: sshDirectory, withIntermediateDirectories: true)
        try HostCommand.generateKey(at: directory + "/host_key")
        try HostCommand.generateKey(at: clientKey)
        try FileManager.default.copyItem(atPath: clientKey + ".pub", toPath: directory + "/authorized_keys")
        _ = chmod(directory + "/authorized_keys", 0o644)
        port = try Self.freshPort()
        let hostKey = try String(contentsOfFile: hostKeyPublic, encoding: .utf8)
        try "[127.0.0.1]:\(port) \(hostKey)".write(toFile: knownHosts, atomically: true, encoding: .utf8)
        var config = [
            "ListenAddress 127.0.0.1", "Port \(port)", "HostKey \(directory)/host_key",
            "AuthorizedKeysFile \(directory)/authorized_keys", "PidFile none", "StrictModes no", "UsePAM no",
            "PermitRootLogin yes", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
            "LogLevel ERROR", "MaxStartups 200", "MaxSessions 20",
        ]
        if sftp { config.append("Subsystem sftp internal-sftp") }
        config += extraConfig
        try (config.joined(separator: "\n") + "\n").write(
            toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// An endpoint for `user` with this server's key and known_hosts, ignoring the real `~/.ssh`.
    func endpoint(user: String = "root", policy: HostKeyPolicy = .strict) -> SSHEndpoint {
        var endpoint = SSHEndpoint(
            host: "127.0.0.1", port: port, user: user, privateKeyPath: clientKey, connectTimeout: 5,
            hostKeyPolicy: policy, knownHostsFile: knownHosts, sshDirectory: sshDirectory, config: .none)
        endpoint.globalKnownHostsFile = directory + "/no-global-known-hosts"
        endpoint.useAgent = false
        return endpoint
    }

    /// (Re)starts the server and waits until it accepts TCP connections. A server still running is
    /// stopped first: a second sshd would fail to bind, find the port answering, and leave the first
    /// one running with nobody holding its PID.
    func start() throws {
        stop()
        let log = open(directory + "/sshd.log", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        defer { close(log) }
        // bash sources ~/.bashrc when sshd starts it, whatever command it is given (Debian builds bash
        // with SSH_SOURCE_BASHRC). This machine's /root/.bashrc runs `pyenv init`, whose rehash lock
        // stalls every session for a minute once a killed command leaves it behind; so sshd runs in a
        // private mount namespace where /root/.bashrc is an empty file. The host is not touched.
        FileManager.default.createFile(atPath: directory + "/empty-bashrc", contents: Data())
        let script =
            "D=\"$3\"; \(namespaceSetup)\nmount --bind \"$1\" /root/.bashrc 2>/dev/null; exec /usr/sbin/sshd -D -e -f \"$2\""
        let pid = try PosixSpawn.start(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh", directory + "/empty-bashrc",
                directory + "/sshd_config", directory,
            ],
            stderr: log)
        self.pid = pid
        for _ in 0..<300 {
            if Self.accepts(port: port) { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                self.pid = nil
                throw HostCommand.Failure(description: "sshd exited at start: \(log)")
            }
            usleep(10_000)
        }
        throw HostCommand.Failure(description: "sshd did not listen on port \(port)")
    }

    /// Kills the server; established sessions die with their per-connection children too.
    func stop() {
        guard let pid else { return }
        kill(pid, SIGTERM)
        _ = PosixSpawn.wait(pid)
        self.pid = nil
    }

    /// Ports handed out in this test process, so parallel fixtures never get the same one twice.
    nonisolated(unsafe) private static var handedOut = Set<Int>()
    private static let handedOutLock = NSLock()

    /// A port nothing listens on right now and that no other fixture of this process was given.
    static func freshPort() throws -> Int {
        for _ in 0..<50 {
            let port = try freePort()
            let fresh = handedOutLock.withLock { handedOut.insert(port).inserted }
            if fresh { return port }
        }
        throw HostCommand.Failure(description: "no fresh port")
    }

    /// Kills every per-connection sshd process (not the listener): existing sessions drop at once, as
    /// when a host reboots or the network fails, while new connections are still accepted.
    func dropSessions() {
        signalSessions(SIGKILL)
    }

    /// Sends `signal` to every process below the listener: SIGSTOP makes the sessions go silent without
    /// closing TCP (the kernel still acknowledges), as a hung host does; SIGCONT wakes them.
    func signalSessions(_ signal: Int32) {
        guard let pid else { return }
        var queue = [pid]
        var descendants: [pid_t] = []
        while let next = queue.popLast() {
            let path = "/proc/\(next)/task/\(next)/children"
            let children = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: " ")
                .compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            descendants += children
            queue += children
        }
        for child in descendants { kill(child, signal) }
    }

    /// A port nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw HostCommand.Failure(description: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }
}
