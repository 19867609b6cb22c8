import CapstanBasics
import Foundation

/// Python `re` patterns run on ICU's regular expressions (`NSRegularExpression`), which agree on the
/// syntax Ansible users write; `(?P<name>...)`, `(?P=name)` and `\g<1>` replacement references are
/// translated. Compiled patterns are cached.
enum JinjaPythonRegex {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: NSRegularExpression] = [:]

    static func compile(_ pattern: String, ignorecase: Bool = false, multiline: Bool = false, dotall: Bool = false)
        throws -> NSRegularExpression
    {
        let key = "\(ignorecase ? 1 : 0)\(multiline ? 1 : 0)\(dotall ? 1 : 0)\(pattern)"
        if let r = lock.withLock({ cache[key] }) { return r }
        var options: NSRegularExpression.Options = []
        if ignorecase { options.insert(.caseInsensitive) }
        if multiline { options.insert(.anchorsMatchLines) }
        if dotall { options.insert(.dotMatchesLineSeparators) }
        let translated = pattern.replacingOccurrences(of: "(?P<", with: "(?<").replacingOccurrences(
            of: "\\Z", with: "\\z")
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: translated, options: options)
        } catch {
            throw TemplateError("invalid regular expression \(PythonString.repr(pattern))")
        }
        lock.withLock {
            if cache.count > 1000 { cache.removeAll() }
            cache[key] = regex
        }
        return regex
    }

    static func test(
        _ input: Value, pattern: Value, mode: JinjaBuiltinTests.RegexMode, ignorecase: Bool, multiline: Bool
    ) throws -> Bool {
        guard case .string(let p) = pattern else { throw TemplateError("regex pattern must be a string") }
        let s = input.pythonString
        let regex = try compile(p, ignorecase: ignorecase, multiline: multiline)
        let ns = s as NSString
        let options: NSRegularExpression.MatchingOptions = mode == .match ? [.anchored] : []
        return regex.firstMatch(in: s, options: options, range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// The text of capture group `index` (0 = whole match), or nil when the group did not take part. The
    /// index must be one the pattern has (`reference` checks one that comes from a template).
    static func group(_ match: NSTextCheckingResult, _ index: Int, in s: NSString) -> String? {
        let r = match.range(at: index)
        return r.location == NSNotFound ? nil : s.substring(with: r)
    }

    /// Like `group`, for an index written in a template: one the pattern lacks is Python's error, not a trap.
    static func reference(_ match: NSTextCheckingResult, _ index: Int, in s: NSString, _ message: String) throws
        -> String?
    {
        guard index >= 0, index < match.numberOfRanges else { throw TemplateError("\(message) \(index)") }
        return group(match, index, in: s)
    }

    /// Turns a Python replacement string (`\1`, `\g<1>`, `\g<name>`, `\n`) into the text for one match.
    static func expand(_ replacement: String, match: NSTextCheckingResult, in s: NSString, regex: NSRegularExpression)
        throws -> String
    {
        var out = ""
        var chars = Array(replacement)[...]
        while let c = chars.popFirst() {
            guard c == "\\", let n = chars.first else {
                out.append(c)
                continue
            }
            chars.removeFirst()
            if n.isNumber {
                var digits = String(n)
                if let m = chars.first, m.isNumber {
                    digits.append(m)
                    chars.removeFirst()
                }
                out += try reference(match, Int(digits) ?? 0, in: s, "invalid group reference") ?? ""
            } else if n == "g", chars.first == "<", let close = chars.firstIndex(of: ">") {
                let name = String(chars[chars.index(after: chars.startIndex)..<close])
                chars = chars[chars.index(after: close)...]
                if let i = Int(name) {
                    out += try reference(match, i, in: s, "invalid group reference") ?? ""
                } else {
                    guard regex.pattern.contains("(?<\(name)>") else {
                        throw TemplateError("unknown group name \(PythonString.repr(name))")
                    }
                    let r = match.range(withName: name)
                    out += r.location == NSNotFound ? "" : s.substring(with: r)
                }
            } else {
                switch n {
                case "n": out += "\n"
                case "t": out += "\t"
                case "\\": out += "\\"
                default: out += "\\" + String(n)
                }
            }
        }
        return out
    }
}
