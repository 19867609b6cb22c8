/// Python `str` operations on Unicode scalars, so lengths and positions match Python's.
enum JinjaPyStr {
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1c...0x1f).contains(c.value)
    }

    static func strip(_ s: String, chars: String?, left: Bool = true, right: Bool = true) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let drop: (Unicode.Scalar) -> Bool = { set?.contains($0) ?? isSpace($0) }
        var scalars = Substring(s).unicodeScalars[...]
        if left { while let f = scalars.first, drop(f) { scalars.removeFirst() } }
        if right { while let l = scalars.last, drop(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    static func split(_ s: String, sep: String?, maxsplit: Int = -1, fromRight: Bool = false) -> [String] {
        let scalars = Array(s.unicodeScalars)
        if fromRight {
            let reversed = split(
                String(String.UnicodeScalarView(scalars.reversed())),
                sep: sep.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) },
                maxsplit: maxsplit)
            return reversed.reversed().map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        }
        var out: [String] = []
        var splits = 0
        if let sep {
            let sepScalars = Array(sep.unicodeScalars)
            var start = 0
            var i = 0
            while i + sepScalars.count <= scalars.count, !sepScalars.isEmpty {
                if maxsplit >= 0, splits >= maxsplit { break }
                if Array(scalars[i..<i + sepScalars.count]) == sepScalars {
                    out.append(String(String.UnicodeScalarView(scalars[start..<i])))
                    i += sepScalars.count
                    start = i
                    splits += 1
                } else {
                    i += 1
                }
            }
            out.append(String(String.UnicodeScalarView(scalars[start...])))
            return out
        }
        var i = 0
        while i < scalars.count {
            while i < scalars.count, isSpace(scalars[i]) { i += 1 }
            if i >= scalars.count { break }
            if maxsplit >= 0, splits >= maxsplit {
                var end = scalars.count
                while end > i, isSpace(scalars[end - 1]) { end -= 1 }
                out.append(String(String.UnicodeScalarView(scalars[i..<end])))
                return out
            }
            let start = i
            while i < scalars.count, !isSpace(scalars[i]) { i += 1 }
            out.append(String(String.UnicodeScalarView(scalars[start..<i])))
            splits += 1
        }
        return out
    }

    static func splitlines(_ s: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if c == "\n", previousCR {
                previousCR = false
                continue
            }
            previousCR = c == "\r"
            if c == "\n" || c == "\r" || c == "\u{0b}" || c == "\u{0c}" || c == "\u{1c}" || c == "\u{1d}"
                || c == "\u{1e}"
                || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}"
            {
                out.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = new
            for c in s.unicodeScalars {
                out.unicodeScalars.append(c)
                out += new
            }
            return out
        }
        let parts = split(s, sep: old, maxsplit: count)
        return parts.joined(separator: new)
    }

    static func capitalize(_ s: String) -> String {
        guard let f = s.unicodeScalars.first else { return s }
        return String(f).uppercased() + String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased()
    }

    /// Python's `str.title`: a letter after a non-letter is upper-cased, other letters lower-cased.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            let isCased = c.properties.isCased
            out += previousCased ? String(c).lowercased() : String(c).uppercased()
            previousCased = isCased
        }
        return out
    }

    static func find(_ s: String, _ sub: String) -> Int {
        let a = Array(s.unicodeScalars)
        let b = Array(sub.unicodeScalars)
        if b.isEmpty { return 0 }
        guard a.count >= b.count else { return -1 }
        for i in 0...(a.count - b.count) where Array(a[i..<i + b.count]) == b { return i }
        return -1
    }

    static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return s.unicodeScalars.count + 1 }
        return split(s, sep: sub).count - 1
    }
}
