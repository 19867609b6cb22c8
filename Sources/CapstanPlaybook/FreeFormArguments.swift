import CapstanBasics
import Collections

/// Ansible's `k=v` argument strings (`copy: src=a dest="/tmp/b c"`, `-a 'uptime'`), split and read
/// the way `ansible.parsing.splitter` does so that the same string means the same thing here.
public enum FreeFormArguments {
    /// The options of shell-like modules that stay options even when free-form text is kept raw.
    public static let rawModuleOptions: Set<String> = [
        "creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends",
    ]

    /// Why a string could not be split.
    public struct SplitError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "failed at splitting arguments, either an unbalanced jinja2 block or quotes: \(text)"
        }
    }

    /// Parses `text` into options; words without `=` are joined into `_raw_params`. With `keepRaw`
    /// (the command family), every `k=v` whose key is not a module option is kept raw as well.
    public static func parse(_ text: String, keepRaw: Bool = false) throws -> OrderedDictionary<String, String> {
        var options = OrderedDictionary<String, String>()
        var raw: [String] = []
        for original in try split(text) {
            let word = decodeEscapes(original)
            guard let eq = unescapedEquals(in: word) else {
                if word.contains("=") {
                    raw.append(word.replacingOccurrences(of: "\\=", with: "="))
                } else {
                    raw.append(original)
                }
                continue
            }
            let key = String(word[..<eq])
            let value = String(word[word.index(after: eq)...])
            if keepRaw && !rawModuleOptions.contains(key) {
                raw.append(original)
            } else {
                options[key.trimmingWhitespace()] = unquote(value.trimmingWhitespace())
            }
        }
        if !raw.isEmpty { options["_raw_params"] = join(raw) }
        return options
    }

    /// The first `=` after position 0 that is not preceded by a backslash (Ansible never treats a
    /// leading `=` as a separator).
    private static func unescapedEquals(in word: String) -> String.Index? {
        var previous: Character? = nil
        var index = word.startIndex
        while index < word.endIndex {
            let c = word[index]
            if c == "=" && index != word.startIndex && previous != "\\" { return index }
            previous = c
            index = word.index(after: index)
        }
        return nil
    }

    /// Strips one pair of matching outer quotes, unless the closing one is escaped.
    public static func unquote(_ s: String) -> String {
        let chars = Array(s)
        guard chars.count > 1, chars.first == chars.last, chars[0] == "\"" || chars[0] == "'",
            chars[chars.count - 2] != "\\"
        else { return s }
        return String(chars[1..<(chars.count - 1)])
    }

    /// Joins split words back, keeping the newlines `split` preserved.
    static func join(_ words: [String]) -> String {
        var result = ""
        for w in words {
            if result.isEmpty || result.hasSuffix("\n") { result += w } else { result += " " + w }
        }
        return result
    }

    /// Decodes Python string escapes (`\n`, `\t`, `\x41`, `\u00e9`, `\\`, `\'`, `\"`, ...) as Ansible
    /// does before looking for `=`.
    static func decodeEscapes(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        let chars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            let c = chars[i]
            guard c == "\\", i + 1 < chars.count else {
                out.append(c)
                i += 1
                continue
            }
            let e = chars[i + 1]
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "\\": "\\", "'": "'", "\"": "\"", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "n": "\n",
                "r": "\r", "t": "\t", "v": "\u{0B}",
            ]
            if let mapped = simple[e] {
                out.append(mapped)
                i += 2
                continue
            }
            let width: Int? = e == "x" ? 2 : e == "u" ? 4 : e == "U" ? 8 : nil
            if let width, i + 2 + width <= chars.count,
                let code = UInt32(String(String.UnicodeScalarView(chars[(i + 2)..<(i + 2 + width)])), radix: 16),
                chars[(i + 2)..<(i + 2 + width)].allSatisfy({ $0.properties.isASCIIHexDigit }),
                let scalar = Unicode.Scalar(code)
            {
                out.append(scalar)
                i += 2 + width
                continue
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }
}
