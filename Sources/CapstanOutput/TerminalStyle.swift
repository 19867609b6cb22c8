import CapstanResults

#if canImport(Glibc)
    import Glibc
#endif

/// Colours as Ansible uses them (green ok, yellow changed, red failed, cyan skipped), only when the
/// stream is a terminal and `NO_COLOR` is not set.
public struct TerminalStyle: Sendable {
    /// Whether escapes are written at all.
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour on when `fd` is a terminal and the user did not ask for none.
    public static func detect(fd: Int32) -> TerminalStyle {
        let noColor = getenv("NO_COLOR") != nil || getenv("ANSIBLE_NOCOLOR") != nil
        return TerminalStyle(enabled: isatty(fd) == 1 && !noColor)
    }

    /// The colour Ansible gives a status.
    public func paint(_ text: String, for status: TaskStatus) -> String {
        let code: String
        switch status {
        case .ok: code = "32"
        case .changed: code = "33"
        case .failed, .unreachable: code = "31"
        case .skipped: code = "36"
        }
        return paint(text, code: code)
    }

    /// Wraps text in an SGR escape when enabled.
    public func paint(_ text: String, code: String) -> String {
        enabled ? "\u{1B}[0;\(code)m\(text)\u{1B}[0m" : text
    }
}

/// Writes text to a file descriptor without Foundation buffering, so output and the progress line
/// interleave in the order they were produced.
public struct OutputStream: Sendable {
    /// The descriptor written to.
    public let fd: Int32

    public static let standardOutput = OutputStream(fd: 1)
    public static let standardError = OutputStream(fd: 2)

    /// Writes all of `text`, retrying on partial writes.
    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
