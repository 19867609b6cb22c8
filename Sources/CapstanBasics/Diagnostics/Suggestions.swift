/// "Did you mean ...?" for names a user misspells (groups, hosts): the known names nearest by edit
/// distance, as compilers suggest a misspelt identifier.
public enum Suggestions {
    /// Up to `limit` of `candidates` nearest to any of `spellings` (the name and its known aliases),
    /// nearest first, ties in the candidates' order. Case, `-` and `_` do not count; a candidate
    /// counts as near when at most a third of the longer name (and at least two characters) differs.
    public static func closest(to spellings: [String], among candidates: [String], limit: Int = 3) -> [String] {
        var scored: [(name: String, distance: Int, order: Int)] = []
        for (order, candidate) in candidates.enumerated() {
            let best = spellings.map { spelling -> (Int, Int) in
                (distance(normalized(spelling), normalized(candidate)), max(spelling.count, candidate.count))
            }.filter { $0.0 <= max(2, $0.1 / 3) }.map(\.0).min()
            if let best { scored.append((candidate, best, order)) }
        }
        return scored.sorted { ($0.distance, $0.order) < ($1.distance, $1.order) }.prefix(limit).map(\.name)
    }

    /// Levenshtein distance between two strings, by characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func normalized(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "-", with: "_")
    }
}
