import Foundation

/// Every `SSHSessionLoop` whose thread is still running, so that the process can stop them before
/// it exits. At `exit` libcrypto's exit handler frees its locks, libssh's destructor finalizes the
/// library and the runtimes' static state goes; a session thread still decrypting a packet or sending
/// a keepalive then takes a freed lock (`pthread_rwlock_wrlock`, signal 11 after every test had
/// passed), and so does a task woken by a session that is torn down then. So once the first session
/// is open (libcrypto initialised, its exit handler installed), an exit handler is installed that runs
/// before theirs (handlers run in reverse order of installation) and parks every loop: its thread
/// stops at its next turn, before touching libssh again or completing any command, and blocks for
/// good. Sessions closed by their owners (the normal way) are freed on their own thread before that,
/// their commands killed; a parked session's commands are not (its connection's end closes their
/// channels: a command streaming to it dies of SIGPIPE, one writing elsewhere runs on).
enum SSHSessionLoops {
    /// How long the exit handler waits for the loops to park (a loop turns at least once a second).
    static let exitLimit = Duration.seconds(5)

    private static let condition = NSCondition()
    nonisolated(unsafe) private static var running: [ObjectIdentifier: SSHSessionLoop] = [:]
    nonisolated(unsafe) private static var parked = 0
    nonisolated(unsafe) private static var exitHandlerInstalled = false

    /// How many loop threads are running (parked ones included).
    static var count: Int { condition.withLock { running.count } }

    /// A loop's thread started.
    static func started(_ loop: SSHSessionLoop) {
        condition.withLock { running[ObjectIdentifier(loop)] = loop }
    }

    /// A loop's thread is done with libssh and returns.
    static func ended(_ loop: SSHSessionLoop) {
        condition.withLock {
            running[ObjectIdentifier(loop)] = nil
            condition.broadcast()
        }
    }

    /// A session was opened: libcrypto is initialised, so an exit handler installed now runs before its own.
    static func sessionOpened() {
        condition.withLock {
            guard !exitHandlerInstalled else { return }
            exitHandlerInstalled = true
            atexit { SSHSessionLoops.parkAll(within: SSHSessionLoops.exitLimit) }
        }
    }

    /// A loop's thread parked for good (called on that thread).
    static func didPark() {
        condition.withLock {
            parked += 1
            condition.broadcast()
        }
    }

    /// Parks every running loop and waits up to `limit` until each has parked or ended; returns how
    /// many did neither (0 when all stopped).
    @discardableResult
    static func parkAll(within limit: Duration) -> Int {
        let loops = condition.withLock { Array(running.values) }
        for loop in loops { loop.park() }
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while running.count > parked && condition.wait(until: deadline) {}
        return max(0, running.count - parked)
    }
}
