/// A unified diff of two lists of lines, hunk for hunk as Python's `difflib.unified_diff` writes it
/// (Ansible shows `--diff` output with it), including `SequenceMatcher`'s choice of matching blocks
/// and its "popular line" heuristic for inputs of 200 lines or more.
public struct UnifiedDiff {
    private let a: [String]
    private let b: [String]
    private var b2j: [String: [Int]] = [:]

    /// Compares `a` (before) with `b` (after); lines keep their line ends.
    public init(_ a: [String], _ b: [String]) {
        self.a = a
        self.b = b
        for (j, line) in b.enumerated() { b2j[line, default: []].append(j) }
        if b.count >= 200 {
            let limit = b.count / 100 + 1
            b2j = b2j.filter { $0.value.count <= limit }
        }
    }

    /// The diff's lines (each ending as its source line does), or none when equal.
    public func lines(from fromFile: String, to toFile: String, context n: Int = 3) -> [String] {
        var out: [String] = []
        for group in groupedOpcodes(n) {
            if out.isEmpty {
                out.append("--- \(fromFile)\n")
                out.append("+++ \(toFile)\n")
            }
            let first = group[0]
            let last = group[group.count - 1]
            out.append("@@ -\(Self.range(first.i1, last.i2)) +\(Self.range(first.j1, last.j2)) @@\n")
            for op in group {
                if op.tag == .equal {
                    out += a[op.i1..<op.i2].map { " " + $0 }
                    continue
                }
                if op.tag != .insert { out += a[op.i1..<op.i2].map { "-" + $0 } }
                if op.tag != .delete { out += b[op.j1..<op.j2].map { "+" + $0 } }
            }
        }
        return out
    }

    enum Tag { case equal, replace, delete, insert }

    struct Opcode {
        var tag: Tag
        var i1: Int, i2: Int, j1: Int, j2: Int
    }

    private static func range(_ start: Int, _ stop: Int) -> String {
        let length = stop - start
        if length == 1 { return "\(start + 1)" }
        return "\(length == 0 ? start : start + 1),\(length)"
    }

    func groupedOpcodes(_ n: Int) -> [[Opcode]] {
        var codes = opcodes()
        if codes.isEmpty { codes = [Opcode(tag: .equal, i1: 0, i2: 1, j1: 0, j2: 1)] }
        if codes[0].tag == .equal {
            let c = codes[0]
            codes[0] = Opcode(tag: .equal, i1: max(c.i1, c.i2 - n), i2: c.i2, j1: max(c.j1, c.j2 - n), j2: c.j2)
        }
        if codes[codes.count - 1].tag == .equal {
            let c = codes[codes.count - 1]
            codes[codes.count - 1] = Opcode(
                tag: .equal, i1: c.i1, i2: min(c.i2, c.i1 + n), j1: c.j1, j2: min(c.j2, c.j1 + n))
        }
        var groups: [[Opcode]] = []
        var group: [Opcode] = []
        for var c in codes {
            if c.tag == .equal && c.i2 - c.i1 > 2 * n {
                group.append(Opcode(tag: .equal, i1: c.i1, i2: min(c.i2, c.i1 + n), j1: c.j1, j2: min(c.j2, c.j1 + n)))
                groups.append(group)
                group = []
                c.i1 = max(c.i1, c.i2 - n)
                c.j1 = max(c.j1, c.j2 - n)
            }
            group.append(c)
        }
        if !group.isEmpty && !(group.count == 1 && group[0].tag == .equal) { groups.append(group) }
        return groups
    }

    func opcodes() -> [Opcode] {
        var i = 0
        var j = 0
        var answer: [Opcode] = []
        for (ai, bj, size) in matchingBlocks() {
            let tag: Tag? = i < ai && j < bj ? .replace : i < ai ? .delete : j < bj ? .insert : nil
            if let tag { answer.append(Opcode(tag: tag, i1: i, i2: ai, j1: j, j2: bj)) }
            i = ai + size
            j = bj + size
            if size > 0 { answer.append(Opcode(tag: .equal, i1: ai, i2: i, j1: bj, j2: j)) }
        }
        return answer
    }

    private func matchingBlocks() -> [(Int, Int, Int)] {
        var queue = [(0, a.count, 0, b.count)]
        var blocks: [(Int, Int, Int)] = []
        while let (alo, ahi, blo, bhi) = queue.popLast() {
            let (i, j, k) = longestMatch(alo, ahi, blo, bhi)
            guard k > 0 else { continue }
            blocks.append((i, j, k))
            if alo < i && blo < j { queue.append((alo, i, blo, j)) }
            if i + k < ahi && j + k < bhi { queue.append((i + k, ahi, j + k, bhi)) }
        }
        blocks.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var merged: [(Int, Int, Int)] = []
        var (i1, j1, k1) = (0, 0, 0)
        for (i2, j2, k2) in blocks {
            if i1 + k1 == i2 && j1 + k1 == j2 {
                k1 += k2
            } else {
                if k1 > 0 { merged.append((i1, j1, k1)) }
                (i1, j1, k1) = (i2, j2, k2)
            }
        }
        if k1 > 0 { merged.append((i1, j1, k1)) }
        merged.append((a.count, b.count, 0))
        return merged
    }

    private func longestMatch(_ alo: Int, _ ahi: Int, _ blo: Int, _ bhi: Int) -> (Int, Int, Int) {
        var (besti, bestj, bestsize) = (alo, blo, 0)
        var j2len: [Int: Int] = [:]
        for i in alo..<ahi {
            var next: [Int: Int] = [:]
            for j in b2j[a[i]] ?? [] {
                if j < blo { continue }
                if j >= bhi { break }
                let k = (j2len[j - 1] ?? 0) + 1
                next[j] = k
                if k > bestsize { (besti, bestj, bestsize) = (i - k + 1, j - k + 1, k) }
            }
            j2len = next
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            (besti, bestj, bestsize) = (besti - 1, bestj - 1, bestsize + 1)
        }
        while besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] == b[bestj + bestsize] {
            bestsize += 1
        }
        return (besti, bestj, bestsize)
    }
}
