import Foundation

/// A live one-line summary on a terminal while hosts work: hosts done out of all, how many changed,
/// failed or were unreachable, and the time so far. Redrawn in place; cleared before other output.
public final class ProgressLine: @unchecked Sendable {
    private let out: OutputStream
    private var total = 0
    private var done = 0
    private var changed = 0
    private var failed = 0
    private var unreachable = 0
    private var started = ContinuousClock.now
    private var visible = false

    /// Writes to `out` (standard error by default, so piped standard output stays clean).
    public init(out: OutputStream = .standardError) { self.out = out }

    /// A progress line only when standard error is a terminal.
    public static func ifTerminal() -> ProgressLine? {
        isatty(2) == 1 ? ProgressLine() : nil
    }

    func start(total: Int) {
        self.total = total
        started = .now
        draw()
    }

    func record(_ status: TaskStatus) {
        done += 1
        switch status {
        case .changed: changed += 1
        case .failed: failed += 1
        case .unreachable: unreachable += 1
        default: break
        }
        draw()
    }

    func clear() {
        if visible { out.write("\r\u{1B}[2K") }
        visible = false
    }

    func finish() { clear() }

    /// The text of the line, for tests and for drawing.
    public var text: String {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return String(
            format: "[%d/%d hosts] changed %d, failed %d, unreachable %d, %.1fs", done, total, changed, failed,
            unreachable, seconds)
    }

    private func draw() {
        out.write("\r\u{1B}[2K" + text)
        visible = true
    }
}
