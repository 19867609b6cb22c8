import CapstanBasics

/// Quoting for words of the `command` module, which Ansible runs after `expanduser(expandvars(word))`
/// on the node: `$NAME`/`${NAME}` expand when set and stay as written when not, and a leading `~`
/// expands. Everything else is literal, so no other shell syntax (globs, `;`, `$(...)`) acts.
enum ArgumentExpansion {
    static func shellWord(_ word: String) -> String {
        var out = ""
        var literal = ""
        var chars = Array(word)[...]
        func flushLiteral() {
            if !literal.isEmpty { out += ShellWords.quote(literal) }
            literal = ""
        }
        if chars.first == "~" {
            var prefix = "~"
            var rest = chars.dropFirst()
            while let c = rest.first, c != "/", c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." {
                prefix.append(c)
                rest = rest.dropFirst()
            }
            if rest.isEmpty || rest.first == "/" {
                out += prefix
                if rest.first == "/" {
                    out += "/"
                    rest = rest.dropFirst()
                }
                chars = rest
            }
        }
        while let c = chars.popFirst() {
            guard c == "$" else {
                literal.append(c)
                continue
            }
            var name = ""
            var braced = false
            if chars.first == "{" {
                if let close = chars.firstIndex(of: "}"),
                    chars[chars.index(after: chars.startIndex)..<close].allSatisfy(isNameCharacter),
                    close > chars.index(after: chars.startIndex)
                {
                    name = String(chars[chars.index(after: chars.startIndex)..<close])
                    braced = true
                    chars = chars[chars.index(after: close)...]
                }
            } else {
                while let n = chars.first, isNameCharacter(n) {
                    name.append(n)
                    chars = chars.dropFirst()
                }
            }
            guard !name.isEmpty, !(name.first!.isNumber) else {
                literal.append("$")
                if braced { literal += "{\(name)}" } else { literal += name }
                continue
            }
            flushLiteral()
            let written = braced ? "\\${\(name)}" : "\\$\(name)"
            out += "\"${\(name)-\(written)}\""
        }
        flushLiteral()
        return out.isEmpty ? "''" : out
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_")
    }
}
