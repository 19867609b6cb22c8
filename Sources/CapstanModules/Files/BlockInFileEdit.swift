/// The content change `blockinfile` makes, as Ansible computes it: find the marker lines (the last
/// of each wins), drop the old block, then insert the new one where the markers were, or after /
/// before the last line matching `insertafter`/`insertbefore` (the whole text when the pattern has
/// `(?m)`), or at the end.
struct BlockInFileEdit {
    var block: String
    var marker: String
    var markerBegin: String
    var markerEnd: String
    var insertAfter: String?
    var insertBefore: String?
    var present: Bool
    var appendNewline = false
    var prependNewline = false

    private static let newline: [UInt8] = [0x0A]

    /// The marker line for `mark` (`{mark}` replaced), with its line break.
    func markerLine(_ mark: String) -> [UInt8] {
        Array(marker.replacingOccurrences(of: "{mark}", with: mark).utf8) + Self.newline
    }

    /// The new file content and whether the block is being written (false: removed).
    func apply(to original: [UInt8]?) throws -> (content: [UInt8], hasBlock: Bool) {
        var lines = Self.splitLines(original ?? [])
        var after = insertAfter
        if insertBefore == nil && after == nil { after = "EOF" }
        let insertRegex: PythonRegex?
        let pattern = after.flatMap { $0 == "EOF" ? nil : $0 } ?? insertBefore.flatMap { $0 == "BOF" ? nil : $0 }
        insertRegex = try pattern.map { try PythonRegex($0) }
        let begin = markerLine(markerBegin)
        let end = markerLine(markerEnd)
        var blockBytes = Array(block.utf8)
        var blockLines: [[UInt8]] = []
        if present && !blockBytes.isEmpty {
            if blockBytes.last != 0x0A { blockBytes += Self.newline }
            blockLines = [begin] + Self.splitLines(blockBytes) + [end]
        }
        var n0: Int?
        var n1: Int?
        for (i, line) in lines.enumerated() {
            if line == begin { n0 = i }
            if line == end { n1 = i }
        }
        var at: Int
        if let b = n0, let e = n1 {
            lines.removeSubrange(min(b, e)...max(b, e))
            at = min(b, e)
        } else if let insertRegex, let pattern {
            var found: Int?
            let text = (original ?? []).text
            if PythonRegex.hasInlineMultiline(pattern) {
                if let m = insertRegex.firstMatch(in: text) {
                    let utf16 = Array(text.utf16)
                    let offset = after != nil ? m.range.location + m.range.length : m.range.location
                    found = utf16[..<offset].filter { $0 == 0x0A }.count
                }
            } else {
                for (i, line) in lines.enumerated() where insertRegex.firstMatch(in: line.text) != nil { found = i }
            }
            if let f = found, after != nil { found = f + 1 }
            at = found ?? lines.count
        } else if insertBefore != nil {
            at = 0
        } else {
            at = lines.count
        }
        if at > 0, lines[at - 1].last != 0x0A { lines[at - 1] += Self.newline }
        if prependNewline && present, at != 0, lines[at - 1] != Self.newline {
            lines.insert(Self.newline, at: at)
            at += 1
        }
        lines.insert(contentsOf: blockLines, at: at)
        if appendNewline && present {
            let next = at + blockLines.count
            if next < lines.count, lines[next] != Self.newline { lines.insert(Self.newline, at: next) }
        }
        return (lines.flatMap { $0 }, !blockLines.isEmpty)
    }

    /// Python's `bytes.splitlines(keepends=True)`: breaks after `\n`, `\r\n` or a lone `\r`.
    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                lines.append(Array(bytes[start...i]))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }
}
