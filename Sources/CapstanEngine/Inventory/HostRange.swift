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

    /// Expands every `[x:y]` / `[x:y:step]` in a name, left to right; a name without `[` is itself.
    static func expand(_ name: String) throws -> [String] {
        guard let open = name.firstIndex(of: "[") else { return [name] }
        guard let close = name[open...].firstIndex(of: "]") else {
            throw Failure(message: "host range must be closed with ']'")
        }
        let head = String(name[..<open])
        let tail = String(name[name.index(after: close)...])
        let bounds = name[name.index(after: open)..<close].split(separator: ":", omittingEmptySubsequences: false)
            .map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw Failure(message: "host range must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw Failure(message: "host range must specify end value") }
        guard let step = bounds.count == 3 ? Int(bounds[2]) : 1, step > 0 else {
            throw Failure(message: "host range step must be a positive integer")
        }
        var pieces: [String] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if begin.count == 1, end.count == 1, let b = letters.firstIndex(of: Character(begin)),
            let e = letters.firstIndex(of: Character(end))
        {
            guard b <= e else { throw Failure(message: "host range must have begin <= end") }
            pieces = stride(from: b, through: e, by: step).map { String(letters[$0]) }
        } else {
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
            pieces = stride(from: b, through: e, by: step).map {
                let digits = String($0)
                return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
            }
        }
        var result: [String] = []
        for piece in pieces { result += try expand(head + piece + tail) }
        return result
    }
}
