extension String {
    /// The lines of the text as Python's `readlines()` gives them: each keeps its `\n`, the last may
    /// have none, and an empty text has no lines.
    package func linesKeepingNewlines() -> [String] {
        var lines: [String] = []
        var current = ""
        for c in self {
            current.append(c)
            if c == "\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
