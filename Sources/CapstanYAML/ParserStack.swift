import Foundation

/// Runs a parser on a thread of its own with a large stack.
///
/// Reading playbooks and inventories recurses as deep as the input nests (YAML up to 1000 levels,
/// blocks in blocks, imports in imports), and a debug build spends tens of kilobytes of stack per
/// import level. The 8 MB of a concurrency thread ran out at about 150 nested imports, or at 64 with
/// deep blocks at the bottom. The depth limits bound the recursion; this gives it room to reach them.
package enum ParserStack {
    /// Stack size of the parsing thread; only the pages a parse touches are ever committed.
    static let bytes = 256 << 20

    /// Runs `body` on a fresh thread with `bytes` of stack and waits for it (callers run no other
    /// work meanwhile: reading a playbook is a single-threaded, CPU-bound step).
    package static func run<T>(_ body: () throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let job = Job(body)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                job.run()
                done.signal()
            }
            thread.stackSize = bytes
            thread.start()
            done.wait()
            return try job.result!.get()
        }
    }

    /// The work and its result, handed between threads; the semaphore orders the writes before the
    /// reads. The work is dropped as soon as it ran: it must not outlive `run`'s call.
    private final class Job<T>: @unchecked Sendable {
        private var body: (() throws -> T)?
        var result: Result<T, Error>?

        init(_ body: @escaping () throws -> T) { self.body = body }

        func run() {
            result = Result { try body!() }
            body = nil
        }
    }
}
