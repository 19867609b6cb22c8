import Foundation

/// A Python `re` pattern run with Foundation's `NSRegularExpression` (ICU). The syntaxes mostly
/// agree; this type translates what differs: `(?P<name>…)` → `(?<name>…)`, `(?P=name)` →
/// `\k<name>`, and expands Python replacement templates (`\1`, `\g<1>`, `\g<name>`, `\n`) itself.
///
/// Known differences left: ICU's `$` and `.` also treat `\r`, U+0085, U+2028 and U+2029 as line
/// ends (Python only `\n`); `\Z` means "end or before a final newline" in ICU but "end" in Python;
/// possessive quantifiers and a few escapes that Python rejects are accepted; after a non-empty
/// match an empty match at the same position is skipped by ICU but taken by Python ≥ 3.7.
struct PythonRegex: @unchecked Sendable {
    /// Why a pattern or template cannot be used; `description` is close to Python's `re.error`.
    struct PatternError: Error, CustomStringConvertible {
        var description: String
    }

    let regex: NSRegularExpression

    /// Compiles `pattern`; `multiline` and `dotAll` are Python's `re.MULTILINE` and `re.DOTALL`.
    init(_ pattern: String, multiline: Bool = false, dotAll: Bool = false) throws {
        var options: NSRegularExpression.Options = []
        if multiline { options.insert(.anchorsMatchLines) }
        if dotAll { options.insert(.dotMatchesLineSeparators) }
        do { regex = try NSRegularExpression(pattern: Self.translate(pattern), options: options) } catch {
            throw PatternError(description: "invalid regular expression '\(pattern)'")
        }
    }

    /// The pattern with Python-only group syntax rewritten for ICU.
    static func translate(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "(?P<", with: "(?<").replacingOccurrences(
            of: #"\(\?P=(\w+)\)"#, with: #"\\k<$1>"#, options: .regularExpression)
    }

    /// Whether the pattern starts with an inline flag group holding `m` (Python's `(?m)`).
    static func hasInlineMultiline(_ pattern: String) -> Bool {
        guard pattern.hasPrefix("(?"), let close = pattern.firstIndex(of: ")") else { return false }
        let flags = pattern[pattern.index(pattern.startIndex, offsetBy: 2)..<close]
        return flags.allSatisfy { "aiLmsux".contains($0) } && flags.contains("m")
    }

    /// The first match in `text`, searching from `start` (UTF-16 offset).
    func firstMatch(in text: String, from start: Int = 0) -> NSTextCheckingResult? {
        let ns = text as NSString
        return regex.firstMatch(in: text, range: NSRange(location: start, length: ns.length - start))
    }

    /// All non-overlapping matches in `text`.
    func matches(in text: String) -> [NSTextCheckingResult] {
        regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    /// Python's `re.subn(pattern, template, text)`: the new text and the number of replacements.
    func substitute(in text: String, template: String) throws -> (String, Int) {
        let ns = text as NSString
        var out = ""
        var last = 0
        let found = matches(in: text)
        for m in found {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += try expand(template, match: m, in: text)
            last = m.range.location + m.range.length
        }
        out += ns.substring(from: last)
        return (out, found.count)
    }

    /// Python's `match.expand(template)`: group references and character escapes; an unmatched
    /// group is empty (Python ≥ 3.5).
    func expand(_ template: String, match: NSTextCheckingResult, in text: String) throws -> String {
        let ns = text as NSString
        func group(_ index: Int) throws -> String {
            guard index < match.numberOfRanges else {
                throw PatternError(description: "invalid group reference \(index)")
            }
            let r = match.range(at: index)
            return r.location == NSNotFound ? "" : ns.substring(with: r)
        }
        var out = ""
        var chars = Substring(template)
        while let c = chars.popFirst() {
            guard c == "\\", let next = chars.popFirst() else {
                out.append(c)
                continue
            }
            switch next {
            case "0"..."9":
                var digits = String(next)
                if next != "0", let d = chars.first, d.isASCII, d.isNumber {
                    digits.append(d)
                    chars.removeFirst()
                }
                out += next == "0" ? "\0" : try group(Int(digits)!)
            case "g":
                guard chars.first == "<", let close = chars.firstIndex(of: ">") else {
                    throw PatternError(description: "missing group name")
                }
                let name = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
                if let n = Int(name) {
                    out += try group(n)
                } else {
                    let r = match.range(withName: name)
                    out += r.location == NSNotFound ? "" : ns.substring(with: r)
                }
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "f": out += "\u{0C}"
            case "v": out += "\u{0B}"
            case "a": out += "\u{07}"
            case "b": out += "\u{08}"
            case "\\": out += "\\"
            default:
                if next.isASCII && next.isLetter { throw PatternError(description: "bad escape \\\(next)") }
                out += "\\" + String(next)
            }
        }
        return out
    }
}
