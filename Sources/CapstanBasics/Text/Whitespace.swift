extension StringProtocol {
    /// The text without leading and trailing blanks (Python's `str.strip()` for the common cases).
    package func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = {
            $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{0B}" || $0 == "\u{0C}"
        }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
