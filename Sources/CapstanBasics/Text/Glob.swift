/// Python's `fnmatch` semantics: `*`, `?`, `[seq]`, `[!seq]`, everything else literal.
package enum Glob {
    /// Whether the whole of `s` matches the pattern `p`.
    package static func match(_ p: [Character], _ s: [Character]) -> Bool {
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
