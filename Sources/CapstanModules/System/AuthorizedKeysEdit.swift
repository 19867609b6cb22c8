import Collections
import Foundation

/// The content change `authorized_key` makes, computed as ansible.posix's module computes it: the file
/// parsed into entries keyed by their base64 key (comment and unparsable lines keyed by the line
/// itself, a later duplicate replacing an earlier one), the task's keys added, replaced or removed,
/// and the entries written back in the order of their ranks (line numbers; new keys ranked after the
/// count of existing entries), ties kept in the entries' order.
struct AuthorizedKeysEdit {
    /// One parsed line: the base64 key (or the whole line, when `type` is nil), its type, options,
    /// comment, and rank.
    struct Entry: Equatable {
        var key: String
        var type: String?
        var options: KeyOptions
        var comment: String
        var rank: Int

        /// Ansible's `[:4]` comparison: everything but the rank.
        func sameKey(as other: Entry) -> Bool {
            key == other.key && type == other.type && options == other.options && comment == other.comment
        }
    }

    /// ssh options in order, a name may repeat; equal when each name has the same values in the same
    /// order (Python's dict equality on `keydict`, whatever the order of different names).
    struct KeyOptions: Equatable {
        var items: [(name: String, value: String?)] = []

        static func == (a: KeyOptions, b: KeyOptions) -> Bool { a.grouped == b.grouped }

        private var grouped: [String: [String?]] {
            var out: [String: [String?]] = [:]
            for (name, value) in items { out[name, default: []].append(value) }
            return out
        }

        /// `name=value` (or `name`) joined by commas, with the space before the key type.
        var text: String {
            if items.isEmpty { return "" }
            return items.map { item in item.value.map { "\(item.name)=\($0)" } ?? item.name }.joined(separator: ",")
                + " "
        }

        /// Ansible's `parseoptions`: split on commas outside quotes (`re.split` on
        /// `((?:[^,"']|"[^"]*"|'[^']*')+)`, dropping what comes before the first and after the last
        /// part); a separator other than a lone comma becomes an option of its own.
        init(_ text: String?) {
            guard let text, !text.isEmpty else { return }
            let chars = Array(text)
            var segments: [String] = []
            var between = ""
            var i = 0
            var first = true
            while i < chars.count {
                let end = Self.partEnd(chars, from: i)
                if end == i {
                    between.append(chars[i])
                    i += 1
                    continue
                }
                if !first { segments.append(between) }
                first = false
                between = ""
                segments.append(String(chars[i..<end]))
                i = end
            }
            for part in segments {
                if let eq = part.firstIndex(of: "=") {
                    items.append((String(part[..<eq]), String(part[part.index(after: eq)...])))
                } else if part != "," {
                    items.append((part, nil))
                }
            }
        }

        init() {}

        /// Where the longest part starting at `i` ends (`i` when none starts there).
        static func partEnd(_ chars: [Character], from start: Int) -> Int {
            var i = start
            while i < chars.count {
                let c = chars[i]
                if c != "," && c != "\"" && c != "'" {
                    i += 1
                } else if c == "\"" || c == "'", let close = chars[(i + 1)...].firstIndex(of: c) {
                    i = close + 1
                } else {
                    break
                }
            }
            return i
        }
    }

    /// The key types the module recognises.
    static let keyTypes: Set<String> = [
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "webauthn-sk-ecdsa-sha2-nistp256@openssh.com", "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com", "ssh-dss",
        "ssh-rsa", "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com", "rsa-sha2-256", "rsa-sha2-512",
        "ssh-rsa-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com", "rsa-sha2-512-cert-v01@openssh.com",
        "ssh-dss-cert-v01@openssh.com",
    ]

    /// Why a key given to the task cannot be used.
    struct InvalidKey: Error { var message: String }

    /// Ansible's `parsekey`: nil for a line with no known key type; a line whose first word is `#`
    /// is kept as it is (with `\#` unescaped). Throws where Python would raise (a type with no key).
    static func parse(_ rawLine: String, rank: Int) throws -> Entry? {
        let raw = rawLine.replacingOccurrences(of: "\\#", with: "#")
        let parts = raw.unicodeScalars.split(whereSeparator: { " \t\r\n".unicodeScalars.contains($0) })
            .map { String(String.UnicodeScalarView($0)) }
        if parts.first == "#" { return Entry(key: raw, type: nil, options: KeyOptions(), comment: "", rank: rank) }
        guard let typeIndex = parts.firstIndex(where: keyTypes.contains) else { return nil }
        guard typeIndex + 1 < parts.count else { throw InvalidKey(message: "list index out of range") }
        let options = typeIndex > 0 ? parts[..<typeIndex].joined(separator: " ") : nil
        return Entry(
            key: parts[typeIndex + 1], type: parts[typeIndex], options: KeyOptions(options),
            comment: parts[(typeIndex + 2)...].joined(separator: " "), rank: rank)
    }

    /// Ansible's `parsekeys` on the file's text.
    static func parseFile(_ text: String) throws -> OrderedDictionary<String, Entry> {
        var entries = OrderedDictionary<String, Entry>()
        for (rank, line) in PythonLines.split(text, keepEnds: true).enumerated() {
            if let entry = try parse(line, rank: rank) {
                entries[entry.key] = entry
            } else {
                entries[line] = Entry(key: line, type: nil, options: KeyOptions(), comment: "", rank: rank)
            }
        }
        return entries
    }

    /// Ansible's `serialize`.
    static func serialize(_ entries: OrderedDictionary<String, Entry>) -> String {
        let ordered = entries.values.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
        return ordered.map { _, e in
            guard let type = e.type else { return e.key }
            return "\(e.options.text)\(type) \(e.key) \(e.comment)\n"
        }.joined()
    }

    var keys: String
    var present: Bool
    var keyOptions: String?
    var comment: String?
    var exclusive: Bool

    /// The new content and whether it is to be written, from the file's current text.
    func apply(to existing: String) throws -> (content: String, write: Bool) {
        var entries = try Self.parseFile(existing)
        var write = false
        var keysToExist: [String] = []
        let existingCount = entries.count
        let lines = PythonLines.split(keys, keepEnds: false).filter { !$0.isEmpty && !$0.hasPrefix("#") }
        for (rank, line) in lines.enumerated() {
            guard var new = try? Self.parse(line, rank: rank) else {
                throw InvalidKey(message: "invalid key specified: \(line)")
            }
            if let keyOptions { new.options = KeyOptions(keyOptions) }
            if let comment { new.comment = comment }
            var matched = false
            var nonMatching: Entry?
            if let old = entries[new.key] {
                if !new.sameKey(as: old) && present { nonMatching = old } else { matched = true }
            }
            if present {
                keysToExist.append(new.key)
                if let old = nonMatching, entries[old.key] != nil {
                    entries[old.key] = nil
                    write = true
                }
                if !matched {
                    new.rank = existingCount + rank
                    entries[new.key] = new
                    write = true
                }
            } else if matched {
                entries[new.key] = nil
                write = true
            }
        }
        if present && exclusive {
            for key in entries.keys where !keysToExist.contains(key) {
                entries[key] = nil
                write = true
            }
        }
        return (Self.serialize(entries), write)
    }
}

/// Python's `str.splitlines`: every line break Python knows (`\r\n` as one).
enum PythonLines {
    static let breaks: Set<Unicode.Scalar> = [
        "\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}",
    ]

    static func split(_ text: String, keepEnds: Bool) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if breaks.contains(s) {
                var end = String.UnicodeScalarView()
                end.append(s)
                if s == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                    end.append("\n")
                    i += 1
                }
                if keepEnds { current.append(contentsOf: end) }
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(s)
            }
            i += 1
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}
