import CapstanBasics
import Collections

/// The text `--diff` shows for a result's `diff` (Ansible's `_get_diff`): notes for binary or large
/// files, a unified diff of `before`/`after` (dictionaries shown as sorted JSON), and `prepared`.
public enum DiffText {
    /// The diff text for one `diff` value (a dictionary or a list of them); empty when nothing differs.
    public static func render(_ diff: Value, style: TerminalStyle) -> String {
        let entries: [Value] = diff.listValue ?? [diff]
        var out = ""
        for entry in entries {
            guard let d = entry.dictValue else { continue }
            if d["dst_binary"] != nil { out += "diff skipped: destination file appears to be binary\n" }
            if d["src_binary"] != nil { out += "diff skipped: source file appears to be binary\n" }
            if let size = d["dst_larger"] {
                out += "diff skipped: destination file size is greater than \(size.pythonString)\n"
            }
            if let size = d["src_larger"] {
                out += "diff skipped: source file size is greater than \(size.pythonString)\n"
            }
            if let before = d["before"], let after = d["after"] {
                out += unified(before: before, after: after, d: d, style: style)
            }
            if let prepared = d["prepared"] { out += prepared.pythonString }
        }
        return out
    }

    private static func unified(
        before: Value, after: Value, d: OrderedDictionary<String, Value>, style: TerminalStyle
    ) -> String {
        let fromFile = d["before_header"].map { "before: \($0.pythonString)" } ?? "before"
        let toFile = d["after_header"].map { "after: \($0.pythonString)" } ?? "after"
        let diffLines = UnifiedDiff(lines(of: before), lines(of: after)).lines(from: fromFile, to: toFile)
        guard !diffLines.isEmpty else { return "" }
        var out = ""
        for line in diffLines {
            if line.hasPrefix("+") {
                out += style.paint(line, .diffAdd)
            } else if line.hasPrefix("-") {
                out += style.paint(line, .diffRemove)
            } else if line.hasPrefix("@@") {
                out += style.paint(line, .diffLines)
            } else {
                out += line
            }
        }
        return out + "\n"
    }

    /// The lines of one side, each with its line end; a last line without one gets difflib's note.
    static func lines(of side: Value) -> [String] {
        let text: String
        switch side {
        case .null: text = ""
        case .dict: text = side.json(Value.JSONStyle(indent: 4, sortKeys: true)) + "\n"
        default: text = side.pythonString
        }
        var lines: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current + "\n\\ No newline at end of file\n") }
        return lines
    }
}
