/// Host names in inventories: `name:port` and `[v6]:port` shorthands, and `[a:b]` / `[a:b:step]`
/// ranges as Ansible's `parse_address` and `expand_hostname_range` read them.
enum HostRange {
    /// Why a host pattern is not usable, in Ansible's words.
    struct Failure: Error {
        let message: String
    }

    /// Splits a trailing `:port` off a host pattern when the rest is a valid host (possibly with ranges).
    static func splitPort(_ pattern: String) -> (host: String, port: Int?) {
        // [host]:port
        if pattern.hasPrefix("["), let close = pattern.lastIndex(of: "]") {
            let after = pattern[pattern.index(after: close)...]
            if after.hasPrefix(":"), let port = Int(after.dropFirst()), after.dropFirst().allSatisfy(\.isNumber) {
                let inner = String(pattern[pattern.index(after: pattern.startIndex)..<close])
                if !inner.isEmpty { return (inner, port) }
            }
        }
        // host:port where the host part has no bare ':' (colons inside [..] ranges are fine)
        guard let colon = lastColonOutsideBrackets(pattern) else { return (pattern, nil) }
        let portText = pattern[pattern.index(after: colon)...]
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText) else {
            return (pattern, nil)
        }
        let host = String(pattern[..<colon])
        if hasBareColon(host) || !looksLikeHost(host) { return (pattern, nil) }
        return (host, port)
    }

    private static func lastColonOutsideBrackets(_ s: String) -> String.Index? {
        var depth = 0
        var last: String.Index?
        for idx in s.indices {
            switch s[idx] {
            case "[": depth += 1
            case "]": depth = max(0, depth - 1)
            case ":" where depth == 0: last = idx
            default: break
            }
        }
        return last
    }

    private static func hasBareColon(_ s: String) -> Bool {
        var depth = 0
        for c in s {
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 } else if c == ":", depth == 0 { return true }
        }
        return false
    }

    /// A rough version of Ansible's hostname/IPv4 check: labels of word characters, `-`, and ranges.
    private static func looksLikeHost(_ s: String) -> Bool {
        guard let first = s.first, first != "-", first != "_", first != "." else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || "_-.[]:".contains($0) }
    }

    /// Most names the ranges of one inventory may expand to, all patterns together; Ansible has no
    /// bound and runs out of memory on `node-[0:99999999999]`.
    static let maximumNames = 100_000

    /// Expands every `[x:y]` / `[x:y:step]` in a name, left to right (the product of the ranges, first
    /// range outermost); a name without `[` is itself. More than `limit` names (what is left of the
    /// inventory's `maximumNames`) is a failure.
    static func expand(_ name: String, limit: Int = maximumNames) throws -> [String] {
        var literals: [String] = []
        var ranges: [[String]] = []
        var rest = Substring(name)
        var count = 1
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]") else {
                throw Failure(message: "host range must be closed with ']'")
            }
            literals.append(String(rest[..<open]))
            let pieces = try pieces(rest[rest.index(after: open)..<close], limit: limit)
            let (product, overflow) = count.multipliedReportingOverflow(by: pieces.count)
            guard !overflow, product <= limit else { throw tooMany(limit) }
            count = product
            ranges.append(pieces)
            rest = rest[rest.index(after: close)...]
        }
        literals.append(String(rest))
        var names = [literals[0]]
        for (index, pieces) in ranges.enumerated() {
            let tail = literals[index + 1]
            names = names.flatMap { head in pieces.map { head + $0 + tail } }
        }
        return names
    }

    private static func tooMany(_ limit: Int) -> Failure {
        Failure(
            message: "host ranges expand to more than \(maximumNames) names in this inventory; expected smaller ranges")
    }

    /// The values of one range's `begin:end[:step]`, at most `limit` of them.
    private static func pieces(_ range: Substring, limit: Int) throws -> [String] {
        let bounds = range.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw Failure(message: "host range must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw Failure(message: "host range must specify end value") }
        let step = try stepValue(bounds.count == 3 ? bounds[2] : "1")
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if begin.count == 1, end.count == 1, let b = letters.firstIndex(of: Character(begin)),
            let e = letters.firstIndex(of: Character(end))
        {
            guard b <= e else { throw Failure(message: "host range must have begin <= end") }
            return (0...(e - b) / step).map { String(letters[b + $0 * step]) }
        }
        guard let b = Int(begin), let e = Int(end) else {
            throw Failure(message: "host range bounds must be integers or single letters, got '\(begin):\(end)'")
        }
        var width = 0
        if begin.hasPrefix("0"), begin.count > 1 {
            guard begin.count == end.count else {
                throw Failure(message: "host range must specify equal-length begin and end formats")
            }
            width = begin.count
        }
        guard b <= e else { return [] }
        // The distance between two Ints always fits a UInt, so this counts without overflow.
        let count = UInt(bitPattern: e &- b) / UInt(step) + 1
        guard count <= UInt(limit) else { throw tooMany(limit) }
        return (0..<Int(count)).map {
            // Wrapping arithmetic: the true value lies between b and e, so it is exact.
            let digits = String(b &+ $0 &* step)
            return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
        }
    }

    /// A positive step; one too large for an Int still takes a single step, as Python's range does.
    private static func stepValue(_ text: String) throws -> Int {
        if let step = Int(text), step > 0 { return step }
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.contains(where: { $0 != "0" }) {
            return Int.max
        }
        throw Failure(message: "host range step must be a positive integer")
    }
}
