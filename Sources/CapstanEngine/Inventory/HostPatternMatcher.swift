import Foundation

/// Ansible's host pattern language over an inventory: `all`, `*`, names, globs, `~regex`,
/// `a:b` / `a,b` (union), `&b` (intersection), `!b` (exclusion), and `[i]`, `[i:j]`, `[i:]` subscripts.
/// Results keep Ansible's order: regular patterns in the order given, then `&`, then `!`.
struct HostPatternMatcher {
    let graph: InventoryGraph

    /// Splits a pattern string into single patterns as Ansible's `split_host_pattern` does.
    static func split(_ pattern: String) -> [String] {
        var parts: [String]
        if pattern.contains(",") {
            parts = pattern.components(separatedBy: ",")
        } else if isSingleHost(pattern) {
            parts = [pattern]
        } else {
            // Colon-separated: words made of non-blank, non-`:[]` characters or whole `[...]` groups.
            parts = []
            var current = ""
            var depth = 0
            for c in pattern {
                if c == "[" { depth += 1 }
                if c == "]" { depth = max(0, depth - 1) }
                if depth == 0, c == ":" || c == " " || c == "\t" {
                    parts.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            }
            parts.append(current)
        }
        return parts.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// True when the whole string is one host (with an optional port), so its colons are not separators.
    private static func isSingleHost(_ pattern: String) -> Bool {
        let (host, port) = HostRange.splitPort(pattern)
        if port != nil { return true }
        if host.contains(":") && host.split(separator: ":").count > 2 && host.allSatisfy({ $0.isHexDigit || $0 == ":" })
        {
            return true
        }
        return false
    }

    /// Hosts matching a list of single patterns, with `&` and `!` applied after the plain ones.
    func evaluate(_ patterns: [String], warnings: inout [Warning]) throws -> [String] {
        let regular = patterns.filter { !$0.hasPrefix("&") && !$0.hasPrefix("!") }
        let ordered =
            (regular.isEmpty ? ["all"] : regular) + patterns.filter { $0.hasPrefix("&") }
            + patterns.filter { $0.hasPrefix("!") }
        var hosts: [String] = []
        var present = Set<String>()
        for p in ordered {
            if graph.hosts[p] != nil {
                if present.insert(p).inserted { hosts.append(p) }
                continue
            }
            let matched = try matchOne(p, warnings: &warnings)
            if p.hasPrefix("!") {
                let that = Set(matched)
                hosts.removeAll { that.contains($0) }
                present.subtract(that)
            } else if p.hasPrefix("&") {
                let that = Set(matched)
                hosts.removeAll { !that.contains($0) }
                present = Set(hosts)
            } else {
                for h in matched where present.insert(h).inserted { hosts.append(h) }
            }
        }
        return hosts
    }

    private func matchOne(_ raw: String, warnings: inout [Warning]) throws -> [String] {
        let pattern = raw.hasPrefix("&") || raw.hasPrefix("!") ? String(raw.dropFirst()) : raw
        let (expression, slice) = splitSubscript(pattern)
        let hosts = try enumerate(expression, warnings: &warnings)
        guard let slice, !hosts.isEmpty else { return hosts }
        switch slice {
        case .index(let i):
            let index = i < 0 ? hosts.count + i : i
            guard index >= 0, index < hosts.count else {
                throw InventoryError("No hosts matched the subscripted pattern '\(pattern)'")
            }
            return [hosts[index]]
        case .range(let start, let end):
            // Python slicing: out-of-range bounds shrink to what exists.
            let last = end == -1 ? hosts.count - 1 : end
            let lower = min(start, hosts.count)
            let upper = min(max(last + 1, lower), hosts.count)
            return Array(hosts[lower..<upper])
        }
    }

    private enum Subscript {
        case index(Int)
        case range(Int, Int)
    }

    /// `expr[3]`, `expr[-1]`, `expr[1:3]`, `expr[1:]` (Ansible's `PATTERN_WITH_SUBSCRIPT`).
    private func splitSubscript(_ pattern: String) -> (String, Subscript?) {
        guard !pattern.hasPrefix("~"), pattern.hasSuffix("]"), let open = pattern.lastIndex(of: "["),
            open > pattern.startIndex
        else { return (pattern, nil) }
        let inner = String(pattern[pattern.index(after: open)..<pattern.index(before: pattern.endIndex)])
        let base = String(pattern[..<open])
        let isDigits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        if let i = Int(inner), isDigits(inner.hasPrefix("-") ? Substring(inner.dropFirst()) : Substring(inner)) {
            return (base, .index(i))
        }
        guard let sep = inner.firstIndex(where: { $0 == ":" || $0 == "-" }) else { return (pattern, nil) }
        let start = inner[..<sep]
        let end = inner[inner.index(after: sep)...]
        guard isDigits(start), end.isEmpty || isDigits(end) else { return (pattern, nil) }
        // Ansible reads `[i:0]` as the single host `i`, since its end bound 0 is falsy.
        let endValue = end.isEmpty ? -1 : Int(end)!
        return (base, endValue == 0 ? .index(Int(start)!) : .range(Int(start)!, endValue))
    }

    /// Ansible's `_enumerate_matches`: matching groups contribute all their hosts; host names are
    /// matched too when no group matched or the pattern is a glob or regex.
    private func enumerate(_ pattern: String, warnings: inout [Warning]) throws -> [String] {
        let matcher = try NameMatcher(pattern)
        var results: [String] = []
        let groups = graph.groups.keys.filter(matcher.matches)
        for g in groups { results += graph.hostsOf(group: g) }
        if groups.isEmpty || pattern.hasPrefix("~") || pattern.contains(where: { ".?*[".contains($0) }) {
            results += graph.hosts.keys.filter(matcher.matches)
        }
        if results.isEmpty, groups.isEmpty, pattern != "all" {
            if InventoryNames.localhost.contains(pattern) { return [pattern] }
            warnings.append(Warning("Could not match supplied host pattern, ignoring: \(pattern)"))
        }
        return results
    }
}

/// Matches names against a shell glob (fnmatch, case-sensitive, whole name) or a `~regex`
/// (Python's `re.match`: anchored at the start only).
struct NameMatcher {
    private let regex: NSRegularExpression?
    private let glob: [Character]?
    private let literal: String?

    init(_ pattern: String) throws {
        if pattern.hasPrefix("~") {
            do {
                regex = try NSRegularExpression(pattern: String(pattern.dropFirst()))
            } catch {
                throw InventoryError("Invalid host list pattern: \(pattern)")
            }
            glob = nil
            literal = nil
        } else if pattern.contains(where: { "*?[".contains($0) }) {
            regex = nil
            glob = Array(pattern)
            literal = nil
        } else {
            regex = nil
            glob = nil
            literal = pattern
        }
    }

    func matches(_ name: String) -> Bool {
        if let literal { return literal == name }
        if let regex {
            let range = NSRange(name.startIndex..., in: name)
            return regex.firstMatch(in: name, options: [.anchored], range: range) != nil
        }
        return Glob.match(glob!, Array(name))
    }
}

/// Python's `fnmatch` semantics: `*`, `?`, `[seq]`, `[!seq]`, everything else literal.
enum Glob {
    static func match(_ p: [Character], _ s: [Character]) -> Bool {
        var pi = 0
        var si = 0
        var starP = -1
        var starS = 0
        while si < s.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi
                starS = si
                pi += 1
                continue
            }
            if pi < p.count, let (ok, next) = matchSingle(p, pi, s[si]), ok {
                pi = next
                si += 1
                continue
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starS += 1
            si = starS
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Whether the pattern element at `pi` matches `c`, and where the next element starts.
    private static func matchSingle(_ p: [Character], _ pi: Int, _ c: Character) -> (Bool, Int)? {
        switch p[pi] {
        case "?": return (true, pi + 1)
        case "[":
            var j = pi + 1
            var negate = false
            if j < p.count, p[j] == "!" {
                negate = true
                j += 1
            }
            if j < p.count, p[j] == "]" { j += 1 }
            while j < p.count, p[j] != "]" { j += 1 }
            // An unclosed `[` is a literal character, as in fnmatch.
            guard j < p.count else { return (c == "[", pi + 1) }
            let body = Array(p[(pi + 1 + (negate ? 1 : 0))..<j])
            var found = false
            var k = 0
            while k < body.count {
                if k + 2 < body.count, body[k + 1] == "-" {
                    if body[k] <= c && c <= body[k + 2] { found = true }
                    k += 3
                } else {
                    if body[k] == c { found = true }
                    k += 1
                }
            }
            return (found != negate, j + 1)
        default:
            return (p[pi] == c, pi + 1)
        }
    }
}

/// A problem with a request to the inventory (a pattern, a host name), not with an input file.
public struct InventoryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in Ansible's words where it has some.
    public let message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
