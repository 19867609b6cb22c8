/// Splits an INI host line into words like Python's `shlex.split(line, comments=True)` in POSIX mode,
/// which is what Ansible uses: quotes group and vanish, a backslash escapes, and an unquoted `#`
/// starts a comment even in the middle of a word.
enum ShellWords {
    /// Why a line could not be split, and at which character (0-based) the problem is.
    struct Failure: Error {
        let message: String
        let offset: Int
    }

    static func split(_ line: String) throws -> [String] {
        let chars = Array(line)
        var words: [String] = []
        var word = ""
        var inWord = false
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "#":
                if inWord { words.append(word) }
                return words
            case "\\":
                guard i + 1 < chars.count else { throw Failure(message: "No escaped character", offset: i) }
                i += 1
                word.append(chars[i])
                inWord = true
            case "'":
                guard let end = chars[(i + 1)...].firstIndex(of: "'") else {
                    throw Failure(message: "No closing quotation", offset: i)
                }
                word += String(chars[(i + 1)..<end])
                inWord = true
                i = end
            case "\"":
                let start = i
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\"" {
                        closed = true
                        break
                    }
                    if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                        i += 1
                    }
                    word.append(chars[i])
                    i += 1
                }
                guard closed else { throw Failure(message: "No closing quotation", offset: start) }
                inWord = true
            default:
                word.append(c)
                inWord = true
            }
            i += 1
        }
        if inWord { words.append(word) }
        return words
    }
}
