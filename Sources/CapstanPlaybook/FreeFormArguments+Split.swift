extension FreeFormArguments {
    /// Splits on spaces like a shell would, but keeps quoted text and Jinja2 blocks (`{{ }}`, `{% %}`,
    /// `{# #}`) together and keeps newlines, exactly as Ansible's `split_args` does: a word that
    /// `shlex` would split differently must still mean what it means to Ansible.
    public static func split(_ text: String) throws -> [String] {
        guard !text.isEmpty else { return [] }
        var state = SplitState()
        let lines = text.pythonSplit("\n")
        for (lineIndex, line) in lines.enumerated() {
            var continued = false
            for (index, token) in line.pythonSplit(" ").enumerated() {
                if token.isEmpty && index != 0 {
                    state.appendToLast(" ")
                    continue
                }
                if token == "\\" && !state.insideQuotes {
                    continued = true
                    continue
                }
                state.consume(token, atLineStart: index == 0)
            }
            if lines.count > 1 && lineIndex != lines.count - 1 && !continued {
                state.appendToLast("\n")
            }
        }
        guard state.isBalanced else { throw SplitError(text: text) }
        return state.words
    }
}

/// The running state of `split`: the words so far, the open quote and the Jinja2 nesting depths.
private struct SplitState {
    var words: [String] = []
    var quote: Character? = nil
    var printDepth = 0
    var blockDepth = 0
    var commentDepth = 0

    var insideQuotes: Bool { quote != nil }
    var insideJinja: Bool { printDepth > 0 || blockDepth > 0 || commentDepth > 0 }
    var isBalanced: Bool { !insideJinja && !insideQuotes }

    mutating func appendToLast(_ s: String) {
        if words.isEmpty { words.append("") }
        words[words.count - 1] += s
    }

    mutating func consume(_ token: String, atLineStart: Bool) {
        let wasInsideQuotes = insideQuotes
        quote = Self.quoteState(after: token, open: quote)
        var appended = false
        if insideQuotes && !wasInsideQuotes && !insideJinja {
            words.append(token)
            appended = true
        } else if insideJinja || insideQuotes || wasInsideQuotes {
            let spacer = atLineStart ? "" : " "
            appendToLast(spacer + token)
            appended = true
        }
        for (depth, open, close) in [
            (\SplitState.printDepth, "{{", "}}"), (\.blockDepth, "{%", "%}"), (\.commentDepth, "{#", "#}"),
        ] {
            let before = self[keyPath: depth]
            self[keyPath: depth] = Self.depth(after: token, from: before, open: open, close: close)
            if self[keyPath: depth] != before && !appended {
                words.append(token)
                appended = true
            }
        }
        if !insideJinja && !insideQuotes && !appended && !token.isEmpty {
            words.append(token)
        }
    }

    /// Follows quote characters through a token; a quote preceded by a backslash does not count.
    static func quoteState(after token: String, open: Character?) -> Character? {
        var open = open
        var previous: Character? = nil
        for c in token {
            if (c == "\"" || c == "'") && previous != "\\" {
                if let o = open {
                    if c == o { open = nil }
                } else {
                    open = c
                }
            }
            previous = c
        }
        return open
    }

    /// Adjusts a block depth by the difference of opening and closing markers in a token.
    static func depth(after token: String, from depth: Int, open: String, close: String) -> Int {
        let opens = token.occurrences(of: open)
        let closes = token.occurrences(of: close)
        guard opens != closes else { return depth }
        return max(0, depth + opens - closes)
    }
}

extension String {
    /// Python's `str.split(sep)` for a one-character separator: works on code points, so `\r\n`
    /// splits at its `\n` as Python does, and empty pieces are kept.
    func pythonSplit(_ separator: Unicode.Scalar) -> [String] {
        unicodeScalars.split(separator: separator, omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0))
        }
    }

    /// Non-overlapping occurrences of `needle`, as Python's `str.count` counts them.
    func occurrences(of needle: String) -> Int {
        var count = 0
        var rest = self[...]
        while let r = rest.range(of: needle) {
            count += 1
            rest = rest[r.upperBound...]
        }
        return count
    }
}
