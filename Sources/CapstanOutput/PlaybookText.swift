import CapstanResults
import Foundation

/// The fixed pieces of ansible-playbook's `default` output: banners, host labels, recap lines.
public enum PlaybookText {
    /// Ansible's width when standard output is not a terminal (`max(79, width - 1)`).
    public static let defaultColumns = 79

    /// `Display.banner`: a blank line, the message, and stars up to `columns` (at least three).
    public static func banner(_ message: String, columns: Int = defaultColumns) -> String {
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let stars = max(3, columns - displayWidth(text))
        return "\n\(text) \(String(repeating: "*", count: stars))"
    }

    /// `host` or `host -> delegate`, as in `ok: [web -> db]`.
    public static func hostLabel(_ result: HostResult) -> String {
        guard let delegate = result.delegatedTo, delegate != result.host else { return result.host }
        return "\(result.host) -> \(delegate)"
    }

    /// The label shown in `(item=...)`: censored under `no_log`.
    public static func itemLabel(_ result: HostResult) -> String {
        if result.fields["_ansible_no_log"]?.isTruthy == true { return "(censored due to no_log)" }
        return result.itemLabel ?? "None"
    }

    /// One recap row: the host padded to 26 columns (37 with its colour escapes, as Ansible pads the
    /// painted text) and each counter as `name=N` padded to 4, painted only when not zero.
    public static func recapLine(host: String, stats: HostStats, style: TerminalStyle) -> String {
        let hostText: String
        if style.enabled {
            let color: AnsibleColor =
                stats.failed != 0 || stats.unreachable != 0 ? .error : stats.changed != 0 ? .changed : .ok
            hostText = pad(style.paint(host, color), to: 37)
        } else {
            hostText = pad(host, to: 26)
        }
        let counters: [(String, Int, AnsibleColor)] = [
            ("ok", stats.ok, .ok), ("changed", stats.changed, .changed),
            ("unreachable", stats.unreachable, .unreachable), ("failed", stats.failed, .error),
            ("skipped", stats.skipped, .skip), ("rescued", stats.rescued, .ok), ("ignored", stats.ignored, .warn),
        ]
        let cells = counters.map { name, count, color in
            let cell = pad("\(name)=\(count)", to: name.count + 1 + 4)
            return count != 0 ? style.paint(cell, color) : cell
        }
        return "\(hostText) : " + cells.joined(separator: " ")
    }

    /// Left-justifies like Python's `%-Ns` (by characters, escapes included).
    static func pad(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Columns a text takes on a terminal: East Asian wide characters take two, as `wcswidth` says.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x0300...0x036F, 0x200B...0x200F: return width
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
                return width + 2
            default: return width + 1
            }
        }
    }
}
