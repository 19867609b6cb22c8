import Foundation

/// The content change `lineinfile` makes, computed in Swift exactly as Ansible's `present()` and
/// `absent()` do on the file's lines: the last match wins unless `firstmatch`, `insertafter` and
/// `insertbefore` only count when `regexp`/`search_string` found nothing, `backrefs` with no match
/// changes nothing.
struct LineInFileEdit {
    var regexp: PythonRegex?
    var searchString: String?
    var line: String?
    var insertAfter: String?
    var insertBefore: String?
    var backrefs = false
    var firstMatch = false

    /// The new lines, whether they differ, Ansible's `msg`, and how many lines `absent` removed.
    struct Result {
        var lines: [[UInt8]]
        var changed: Bool
        var msg: String
        var found = 0
    }

    private static let newline: [UInt8] = [0x0A]

    /// `state=present` (Ansible's defaulting of `insertafter` to `EOF` already done).
    func present(_ input: [[UInt8]]) throws -> Result {
        var lines = input
        let lineBytes = Array((line ?? "").utf8)
        let insertRegex: PythonRegex?
        if let a = insertAfter, a != "BOF", a != "EOF" {
            insertRegex = try PythonRegex(a)
        } else if let b = insertBefore, b != "BOF" {
            insertRegex = try PythonRegex(b)
        } else {
            insertRegex = nil
        }
        var matchIndex = -1
        var insertIndex = -1
        var match: (text: String, result: NSTextCheckingResult)?
        var found = false
        if let regexp {
            for (n, l) in lines.enumerated() {
                let text = l.text
                if let m = regexp.firstMatch(in: text) {
                    matchIndex = n
                    match = (text, m)
                    found = true
                    if firstMatch { break }
                }
            }
        }
        if let searchString {
            let needle = Array(searchString.utf8)
            for (n, l) in lines.enumerated() where l.containsSubsequence(needle) {
                matchIndex = n
                found = true
                if firstMatch { break }
            }
        }
        if !found {
            for (n, l) in lines.enumerated() {
                if lineBytes == l.strippingLineEnd {
                    matchIndex = n
                } else if let insertRegex, insertRegex.firstMatch(in: l.text) != nil {
                    if insertAfter != nil {
                        insertIndex = n + 1
                        if firstMatch { break }
                    }
                    if insertBefore != nil {
                        insertIndex = n
                        if firstMatch { break }
                    }
                }
            }
        }
        let added = lineBytes + Self.newline
        func endsWithLineBreak(_ l: [UInt8]) -> Bool { l.last == 0x0A || l.last == 0x0D }
        if matchIndex != -1 {
            var newLine = lineBytes
            if backrefs, let match {
                newLine = Array(try regexp!.expand(line ?? "", match: match.result, in: match.text).utf8)
            }
            if newLine.last != 0x0A { newLine += Self.newline }
            if lines[matchIndex] != newLine {
                lines[matchIndex] = newLine
                return Result(lines: lines, changed: true, msg: "line replaced")
            }
            return Result(lines: lines, changed: false, msg: "")
        }
        if backrefs { return Result(lines: lines, changed: false, msg: "") }
        if insertBefore == "BOF" || insertAfter == "BOF" {
            lines.insert(added, at: 0)
            return Result(lines: lines, changed: true, msg: "line added")
        }
        if insertAfter == "EOF" || insertIndex == -1 {
            if let last = lines.last, !endsWithLineBreak(last) { lines.append(Self.newline) }
            lines.append(added)
            return Result(lines: lines, changed: true, msg: "line added")
        }
        if insertAfter != nil {
            if lines.count == insertIndex {
                if lines[insertIndex - 1].strippingLineEnd != lineBytes {
                    lines.append(added)
                    return Result(lines: lines, changed: true, msg: "line added")
                }
            } else if lineBytes != lines[insertIndex].strippingLineEnd {
                lines.insert(added, at: insertIndex)
                return Result(lines: lines, changed: true, msg: "line added")
            }
            return Result(lines: lines, changed: false, msg: "")
        }
        lines.insert(added, at: insertIndex)
        return Result(lines: lines, changed: true, msg: "line added")
    }

    /// `state=absent`: drops every line matching `regexp`, `search_string` or equal to `line`.
    func absent(_ input: [[UInt8]]) -> Result {
        let lineBytes = Array((line ?? "").utf8)
        let needle = searchString.map { Array($0.utf8) }
        var kept: [[UInt8]] = []
        var found = 0
        for l in input {
            let matches: Bool
            if let regexp {
                matches = regexp.firstMatch(in: l.text) != nil
            } else if let needle {
                matches = l.containsSubsequence(needle)
            } else {
                matches = lineBytes == l.strippingLineEnd
            }
            if matches { found += 1 } else { kept.append(l) }
        }
        return Result(lines: kept, changed: found > 0, msg: found > 0 ? "\(found) line(s) removed" : "", found: found)
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes (Python's `in` on bytes; an empty needle always does).
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
