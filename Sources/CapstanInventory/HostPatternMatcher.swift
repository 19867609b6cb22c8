import CapstanBasics
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

    /// True when the whole string is one host (with an optional port), so its colons are not separators:
    /// `name:22`, `[v6]:22`, or an IPv6 address (eight groups, or a `::` abbreviation).
    private static func isSingleHost(_ pattern: String) -> Bool {
        if HostRange.splitPort(pattern).port != nil { return true }
        guard pattern.allSatisfy({ $0.isHexDigit || $0 == ":" }) else { return false }
        return pattern.contains("::") || pattern.split(separator: ":", omittingEmptySubsequences: false).count == 8
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
            let upper = min(max(last == Int.max ? last : last + 1, lower), hosts.count)
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
        guard isDigits(start), end.isEmpty || isDigits(end), let startValue = Int(start) else { return (pattern, nil) }
        // Ansible reads `[i:0]` as the single host `i`, since its end bound 0 is falsy.
        guard let endValue = end.isEmpty ? -1 : Int(end) else { return (pattern, nil) }
        return (base, endValue == 0 ? .index(startValue) : .range(startValue, endValue))
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
            var message = "Could not match supplied host pattern, ignoring: \(pattern)"
            if !pattern.hasPrefix("~"), !pattern.contains(where: { "?*[".contains($0) }),
                let hint = MissingNameHint.forGroup(pattern, groups: graph.groups.keys)
            {
                message += " (the inventory has no group or host '\(pattern)'; \(hint))"
            }
            warnings.append(Warning(message))
        }
        return results
    }
}
