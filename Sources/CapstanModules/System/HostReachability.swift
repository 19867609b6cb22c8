import CapstanTransport
import Foundation
import Synchronization

/// Waiting for a host to answer again, as Ansible's `wait_for_connection` and `reboot` do: attempts,
/// each on a fresh session after a failed one, until one works or a deadline passes. Every attempt is
/// bounded on the controller, so a host that swallows packets, or a connect that blocks the session's
/// thread, never holds the task past its deadline.
enum HostReachability {
    /// What the last failed attempt said, for Ansible's timeout messages.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Calls `attempt` until it returns, pausing `pause(failures so far)` after each failure and dropping the session
    /// so that the next attempt connects afresh. Each attempt may take `attemptLimit`; none starts
    /// after `end`. Returns the value, or the last failure once `end` has passed.
    static func retry<T: Sendable>(
        on connection: any Connection, until end: ContinuousClock.Instant, attemptLimit: Duration,
        pause: @escaping (Int) -> Duration,
        _ attempt: @escaping @Sendable (_ deadline: ContinuousClock.Instant) async throws -> T
    ) async -> Result<T, Failure> {
        var last = Failure(description: "no attempt was made before the timeout")
        var failures = 0
        while ContinuousClock.now < end {
            let deadline = min(ContinuousClock.now + attemptLimit, end)
            switch await bounded(until: deadline, { try await attempt(deadline) }) {
            case .success(let value): return .success(value)
            case .failure(let error): last = Failure(description: "\(error)")
            case nil: last = Failure(description: "the attempt did not finish within its limit")
            }
            // A connect blocking the session's thread delays the reset too: it is not waited for past `end`.
            _ = await bounded(until: end) { await connection.resetSession() }
            // Ansible sleeps after every failure, even one that ends past the timeout.
            try? await Task.sleep(for: pause(failures))
            failures += 1
            if Task.isCancelled { break }
        }
        return .failure(last)
    }

    /// `body`'s result, or nil once `deadline` passes first. `body` is then cancelled and left to end
    /// on its own: a command stuck behind a blocking connect cannot hold the caller.
    static func bounded<T: Sendable>(
        until deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error>? {
        let answer = FirstAnswer<Result<T, any Error>?>()
        let work = Task {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            answer.give(result)
        }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            answer.give(nil)
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { answer.wait(with: $0) }
        } onCancel: {
            answer.give(nil)
        }
        work.cancel()
        timer.cancel()
        return result
    }

    /// The first of several answers, handed to one waiting continuation whether it comes before or
    /// after the wait begins; later answers are dropped.
    final class FirstAnswer<V: Sendable>: Sendable {
        private struct State {
            var answer: V?
            var answered = false
            var waiting: CheckedContinuation<V, Never>?
        }
        private let state = Mutex(State())

        func give(_ value: V) {
            let waiting = state.withLock { s -> CheckedContinuation<V, Never>? in
                guard !s.answered else { return nil }
                s.answered = true
                s.answer = value
                defer { s.waiting = nil }
                return s.waiting
            }
            waiting?.resume(returning: value)
        }

        func wait(with continuation: CheckedContinuation<V, Never>) {
            let ready: [V] = state.withLock { s in
                guard s.answered, let answer = s.answer else {
                    s.waiting = continuation
                    return []
                }
                return [answer]
            }
            if let answer = ready.first { continuation.resume(returning: answer) }
        }
    }
}
