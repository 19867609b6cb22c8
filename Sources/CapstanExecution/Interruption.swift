import Dispatch
import Foundation

/// SIGINT and SIGTERM during a run. The first one calls `onInterrupt` (the caller cancels the run: no
/// task starts any more, running remote commands are killed, sessions close and their shells remove
/// their directories on the nodes, the journal records the run as interrupted); if the run has not
/// ended `grace` later, or on a second signal, `beforeExit` runs and the process exits at once.
public final class Interruption: @unchecked Sendable {
    /// How long an interrupted run may take to stop cleanly before the process exits anyway.
    public static let grace = Duration.milliseconds(4500)

    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var received: Int32?
    private var watchdog: DispatchWorkItem?
    private let queue = DispatchQueue(label: "capstan.interruption")

    /// Starts listening for SIGINT and SIGTERM (they no longer end the process by themselves).
    /// `onInterrupt` is called once, on the first signal; `beforeExit` (given the exit code) just
    /// before a forced exit.
    public init(onInterrupt: @escaping @Sendable () -> Void, beforeExit: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            _ = Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                self?.receive(number, onInterrupt: onInterrupt, beforeExit: beforeExit)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    public var signal: Int32? { lock.withLock { received } }

    /// The exit code for the signal received: 130 for SIGINT, 143 for SIGTERM (128 + its number).
    public var exitCode: Int32? { signal.map { 128 + $0 } }

    /// Stops listening and gives both signals their default action back.
    public func uninstall() {
        lock.withLock {
            sources.forEach { $0.cancel() }
            sources = []
            watchdog?.cancel()
        }
        _ = Foundation.signal(SIGINT, SIG_DFL)
        _ = Foundation.signal(SIGTERM, SIG_DFL)
    }

    private func receive(
        _ number: Int32, onInterrupt: @escaping @Sendable () -> Void, beforeExit: @escaping @Sendable (Int32) -> Void
    ) {
        let first: Int32? = lock.withLock {
            defer { if received == nil { received = number } }
            return received
        }
        if let first {
            beforeExit(128 + first)
            _exit(128 + first)
        }
        onInterrupt()
        let code = 128 + number
        let forcedExit = DispatchWorkItem {
            beforeExit(code)
            _exit(code)
        }
        lock.withLock { watchdog = forcedExit }
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(Self.grace / .milliseconds(1))), execute: forcedExit)
    }
}
