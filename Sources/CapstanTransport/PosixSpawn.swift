import Foundation

/// Starts a child process with `posix_spawn`, with chosen file descriptors as its stdin, stdout and
/// stderr and every other descriptor closed.
///
/// Not Foundation's `Process`: on Linux it learns of a child's exit through an inherited socket, so a
/// child that closes all its descriptors (sshd does) looks dead, and the blocking `wait4` that follows
/// stalls the notification of every other child.
enum PosixSpawn {
    /// Spawning failed; `code` is the errno.
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var code: Int32
        var description: String { "could not start \(path): \(String(cString: strerror(code)))" }
    }

    /// Starts `path` with `arguments` (argv[1...]); `stdin`, `stdout`, `stderr` are descriptors in this
    /// process to give the child (`nil` means /dev/null). The child gets its own process group so
    /// a timeout can kill everything it started.
    static func start(
        _ path: String, _ arguments: [String], stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil,
        environment: [String: String]? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (source, target, flags) in [(stdin, Int32(0), O_RDONLY), (stdout, 1, O_WRONLY), (stderr, 2, O_WRONLY)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Ignored signals stay ignored across exec: give the child default SIGPIPE (we ignore it), so
        // `yes | head` in a command ends quietly as it does in a terminal.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // The spawning thread may block signals (dispatch's threads do); the child starts with none blocked.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, path, &actions, &attributes, argv, env)
        guard code == 0 else { throw Failure(path: path, code: code) }
        return pid
    }

    /// Waits for `pid` to end; returns (exit status, signal number), one of them `nil`.
    static func wait(_ pid: pid_t) -> (status: Int32?, signal: Int32?) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        if signal == 0 { return ((status >> 8) & 0xff, nil) }
        return (nil, signal)
    }
}
