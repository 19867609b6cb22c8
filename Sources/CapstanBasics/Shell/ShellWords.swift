/// POSIX shell words: splitting a command line as Python's `shlex.split` does (what Ansible's
/// `command` module does with its free-form text), and quoting words for `/bin/sh`.
///
/// The one shell quoter, in two forms whose output differs on purpose. `quote` is `shlex.quote`, the
/// form Ansible shows (a module's `cmd`, its programs); `singleQuoted` always quotes, with `'\''`: the
/// fixed shape of the command lines the transport sends (sudo logs them, tests pin them byte for byte).
package enum ShellWords {
    /// Why a command line could not be split.
    package struct SplitError: Error, Equatable, CustomStringConvertible {
        package var description: String
        /// The 0-based character offset where the problem starts (the unclosed quote).
        package var offset: Int = 0
    }

    /// Splits like `shlex.split(text, comments:)` in POSIX mode. With `comments`, an unquoted `#`
    /// ends the line, even in the middle of a word (what Ansible's INI inventory relies on).
    package static func split(_ text: String, comments: Bool = false) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        let all = Array(text)
        var chars = all[...]
        while let c = chars.popFirst() {
            let offset = chars.startIndex - 1
            switch c {
            case "#" where comments:
                if inWord { words.append(current) }
                return words
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                guard let end = chars.firstIndex(of: "'") else {
                    throw SplitError(description: "No closing quotation", offset: offset)
                }
                current += chars[chars.startIndex..<end]
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" {
                        closed = true
                        break
                    }
                    if d == "\\", let next = chars.first, next == "\\" || next == "\"" {
                        current.append(chars.removeFirst())
                    } else {
                        current.append(d)
                    }
                }
                if !closed { throw SplitError(description: "No closing quotation", offset: offset) }
            case "\\":
                inWord = true
                guard let next = chars.popFirst() else {
                    throw SplitError(description: "No escaped character", offset: offset)
                }
                current.append(next)
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Quotes one word for `/bin/sh` (`shlex.quote`): bare when safe, else in single quotes.
    package static func quote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        let safe = word.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "@%+=:,./-_".utf8.contains($0)
        }
        if safe { return word }
        return singleQuoted(word, quoteAs: "'\"'\"'")
    }

    /// Quotes `text` for a POSIX shell whatever it holds: wrapped in single quotes, each `'` written
    /// as `'\''`.
    package static func singleQuoted(_ text: String) -> String { singleQuoted(text, quoteAs: "'\\''") }

    /// `text` in single quotes, each `'` inside written as `quoteAs` (which must close the quotes, emit
    /// a quote and reopen them). Byte by byte: `replacingOccurrences` goes through NSString and ICU, and
    /// quoting every program sent showed up in profiles as the costliest part of running a command.
    private static func singleQuoted(_ text: String, quoteAs: String) -> String {
        let quote = UInt8(ascii: "'")
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = [quote]
            out.reserveCapacity(bytes.count + 2)
            // Runs between quotes are copied whole (programs are kilobytes with few quotes).
            var start = 0
            while let next = bytes[start...].firstIndex(of: quote) {
                out.append(contentsOf: bytes[start..<next])
                out.append(contentsOf: quoteAs.utf8)
                start = next + 1
            }
            out.append(contentsOf: bytes[start...])
            out.append(quote)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Quotes and joins words into one command line.
    package static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }
}
