import CapstanResults
import Dispatch
import Foundation

/// A live one-line summary on a terminal while hosts work: how many hosts finished the current task
/// out of those running it, how many results so far changed, failed or were unreachable, and the time
/// since the run started, redrawn in place twice a second (a long task shows its clock moving) and
/// cleared before other output.
public final class ProgressLine: @unchecked Sendable {
    private let out: OutputStream
    private let lock = NSLock()
    private var total = 0
    private var done = 0
    private var changed = 0
    private var failed = 0
    private var unreachable = 0
    private var started: ContinuousClock.Instant?
    private var visible = false
    private var timer: DispatchSourceTimer?

    /// How often a visible line is redrawn on its own.
    static let refresh = DispatchTimeInterval.milliseconds(500)

    /// Writes to `out` (standard error by default, so piped standard output stays clean).
    public init(out: OutputStream = .standardError) { self.out = out }

    deinit { timer?.cancel() }

    /// A progress line only when standard error is a terminal.
    public static func ifTerminal() -> ProgressLine? {
        isatty(2) == 1 ? ProgressLine() : nil
    }

    /// A task (or an ad-hoc run) starts on `total` hosts: the host count starts again, the run's
    /// counters and clock go on.
    func start(total: Int) {
        lock.withLock {
            if started == nil { started = .now }
            self.total = total
            done = 0
            draw()
        }
        startTimer()
    }

    /// One host finished the task.
    func record(_ status: TaskStatus) {
        lock.withLock {
            done += 1
            switch status {
            case .changed: changed += 1
            case .failed: failed += 1
            case .unreachable: unreachable += 1
            default: break
            }
        }
    }

    /// Shows the line again after other output.
    func redraw() { lock.withLock { draw() } }

    func clear() {
        lock.withLock {
            if visible { out.write("\r\u{1B}[2K") }
            visible = false
        }
    }

    /// Clears the line for good.
    func finish() {
        lock.withLock {
            timer?.cancel()
            timer = nil
        }
        clear()
    }

    /// The text of the line, for tests and for drawing.
    public var text: String {
        lock.withLock { currentText }
    }

    private var currentText: String {
        let elapsed = started.map { ContinuousClock.now - $0 } ?? .zero
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return String(
            format: "[%d/%d hosts] changed %d, failed %d, unreachable %d, %.1fs", done, total, changed, failed,
            unreachable, seconds)
    }

    /// Under the lock.
    private func draw() {
        out.write("\r\u{1B}[2K" + currentText)
        visible = true
    }

    private func startTimer() {
        lock.withLock {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "capstan.progress"))
            source.schedule(deadline: .now() + Self.refresh, repeating: Self.refresh)
            // Only a line on screen is redrawn: one cleared for output stays cleared until it is due.
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.withLock { if self.visible { self.draw() } }
            }
            source.resume()
            timer = source
        }
    }
}
