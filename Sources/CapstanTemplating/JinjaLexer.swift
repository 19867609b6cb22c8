import Foundation

/// Splits template text into tokens: literal data (after whitespace control), tag delimiters, and the
/// expression tokens inside `{{ }}` and `{% %}`. Works on UTF-8 bytes because every delimiter is ASCII.
///
/// Tokens are made on demand (`nextToken`), a few at a time, so that the parser holds a handful of them
/// rather than all of a large template's, and stops lexing at its first error.
struct JinjaLexer {
    let bytes: [UInt8]
    let options: TemplateOptions
    var i = 0
    var line = 1
    var lineStart = 0
    /// Tokens made and not yet taken, from `head` on.
    var tokens: [JinjaToken] = []
    var head = 0
    /// The tag being lexed, when inside `{{ }}` or `{% %}`.
    var inside: Inside?
    /// Brackets open inside the current tag.
    var depth: [UInt8] = []
    /// Whitespace control the last closing delimiter asked of the data after it.
    var stripNextLeading = false
    var trimNextNewline = false
    /// True once the `.end` token is made.
    var finished = false

    /// An open `{{` or `{%`: the byte before `}` that closes it and the token that ends it.
    struct Inside {
        var close: UInt8
        var endKind: JinjaToken.Kind
        var line: Int
        var column: Int
    }

    init(_ source: String, options: TemplateOptions) {
        // Jinja2 normalises line endings to "\n" (its default newline_sequence).
        var b = Array(source.utf8)
        if b.contains(13) {
            b = Array(
                source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").utf8)
        }
        // Jinja2's keep_trailing_newline=False, which Ansible keeps; it restores newlines after rendering.
        if b.last == UInt8(ascii: "\n") {
            b.removeLast()
        }
        bytes = b
        self.options = options
    }

    /// All tokens of `source`, the last one `.end`.
    static func tokenize(_ source: String, options: TemplateOptions) throws -> [JinjaToken] {
        var lexer = JinjaLexer(source, options: options)
        var all: [JinjaToken] = []
        while all.last?.kind != .end { all.append(try lexer.nextToken()) }
        return all
    }

    /// The next token; `.end` again and again once the text is used up.
    mutating func nextToken() throws -> JinjaToken {
        while head == tokens.count {
            tokens.removeAll(keepingCapacity: true)
            head = 0
            if finished { return JinjaToken(kind: .end, line: line, column: column) }
            if let tag = inside {
                try lexInsideStep(tag)
            } else {
                try lexDataAndTagStart()
            }
        }
        head += 1
        return tokens[head - 1]
    }

    func byte(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
    var column: Int { i - lineStart + 1 }

    func error(_ message: String, line: Int? = nil, column: Int? = nil) -> TemplateError {
        TemplateError(message, line: line ?? self.line, column: column ?? self.column)
    }

    /// Advances over `count` bytes, counting lines.
    mutating func advance(_ count: Int) {
        for _ in 0..<count {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
    }

    /// Lexes the data up to the next tag and the tag's opening (a comment or raw block whole).
    private mutating func lexDataAndTagStart() throws {
        guard i < bytes.count else {
            tokens.append(JinjaToken(kind: .end, line: line, column: column))
            finished = true
            return
        }
        let dataStart = i
        let dataLine = line
        let dataColumn = column
        var tagAt = i
        while tagAt + 1 < bytes.count {
            if bytes[tagAt] == UInt8(ascii: "{"),
                [UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "#")].contains(bytes[tagAt + 1])
            {
                break
            }
            tagAt += 1
        }
        if tagAt + 1 >= bytes.count { tagAt = bytes.count }
        let kind = tagAt < bytes.count ? bytes[tagAt + 1] : 0
        let modifier = byte(tagAt + 2)
        // The data is bytes[from..<to] after whitespace control, trimmed by moving the bounds.
        var from = dataStart
        var to = tagAt
        var startsLine = dataStart == 0 || bytes[dataStart - 1] == 10
        if stripNextLeading {
            while from < to, JinjaLexer.isSpace(bytes[from]) { from += 1 }
        } else if trimNextNewline {
            if from < to, bytes[from] == UInt8(ascii: "\n") {
                from += 1
                startsLine = true
            } else if from + 1 < to, bytes[from] == 13, bytes[from + 1] == 10 {
                from += 2
                startsLine = true
            }
        }
        if tagAt < bytes.count {
            if modifier == UInt8(ascii: "-") {
                while to > from, JinjaLexer.isSpace(bytes[to - 1]) { to -= 1 }
            } else if options.lstripBlocks, kind != UInt8(ascii: "{"), modifier != UInt8(ascii: "+") {
                to = lstripLine(from: from, to: to, startsLine: startsLine)
            }
        }
        if from < to {
            tokens.append(
                JinjaToken(
                    kind: .data(String(decoding: bytes[from..<to], as: UTF8.self)), line: dataLine, column: dataColumn))
        }
        advance(tagAt - dataStart)
        guard i < bytes.count else { return }
        let hasModifier = modifier == UInt8(ascii: "-") || modifier == UInt8(ascii: "+")
        let tagLine = line
        let tagColumn = column
        advance(hasModifier ? 3 : 2)
        switch kind {
        case UInt8(ascii: "#"):
            closed(try skipComment(line: tagLine, column: tagColumn), kind: kind)
        case UInt8(ascii: "{"):
            tokens.append(JinjaToken(kind: .variableBegin, line: tagLine, column: tagColumn))
            inside = Inside(close: UInt8(ascii: "}"), endKind: .variableEnd, line: tagLine, column: tagColumn)
        default:
            tokens.append(JinjaToken(kind: .blockBegin, line: tagLine, column: tagColumn))
            if let raw = try lexRawIfPresent(line: tagLine, column: tagColumn) {
                closed(raw, kind: kind)
            } else {
                inside = Inside(close: UInt8(ascii: "%"), endKind: .blockEnd, line: tagLine, column: tagColumn)
            }
        }
    }

    /// Records a closing delimiter's whitespace control for the data that follows.
    mutating func closed(_ closing: (strip: Bool, trim: Bool), kind: UInt8) {
        stripNextLeading = closing.strip
        trimNextNewline = closing.trim && kind != UInt8(ascii: "{")
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 }

    /// lstrip_blocks: drop the spaces and tabs before a tag when nothing else precedes it on its line; returns
    /// the new end of the data `bytes[from..<to]`.
    func lstripLine(from: Int, to: Int, startsLine: Bool) -> Int {
        var k = to
        while k > from, bytes[k - 1] == 32 || bytes[k - 1] == 9 { k -= 1 }
        let atLineStart = k > from ? bytes[k - 1] == 10 : startsLine
        return atLineStart ? k : to
    }

    /// Reads the closing delimiter's whitespace flags: `-` strips what follows, `+` keeps a newline that
    /// trim_blocks would drop.
    mutating func closeTag(close: UInt8) -> (strip: Bool, trim: Bool)? {
        if byte(i) == close, byte(i + 1) == UInt8(ascii: "}") {
            advance(2)
            return (false, options.trimBlocks)
        }
        if let m = byte(i), m == UInt8(ascii: "-") || m == UInt8(ascii: "+"), byte(i + 1) == close,
            byte(i + 2) == UInt8(ascii: "}")
        {
            advance(3)
            return (m == UInt8(ascii: "-"), false)
        }
        return nil
    }

    mutating func skipComment(line l: Int, column c: Int) throws -> (strip: Bool, trim: Bool) {
        while i < bytes.count {
            if let closing = closeTag(close: UInt8(ascii: "#")) { return closing }
            advance(1)
        }
        throw error("missing end of comment tag", line: l, column: c)
    }

    /// `{% raw %}`: everything up to `{% endraw %}` becomes one raw token.
    mutating func lexRawIfPresent(line l: Int, column c: Int) throws -> (strip: Bool, trim: Bool)? {
        var k = i
        while let b = byte(k), JinjaLexer.isSpace(b) { k += 1 }
        guard bytes[k..<min(k + 3, bytes.count)].elementsEqual("raw".utf8) else { return nil }
        k += 3
        while let b = byte(k), JinjaLexer.isSpace(b) { k += 1 }
        var rawStrip = false
        var rawTrim = options.trimBlocks
        if byte(k) == UInt8(ascii: "-") || byte(k) == UInt8(ascii: "+") {
            rawStrip = byte(k) == UInt8(ascii: "-")
            rawTrim = false
            k += 1
        }
        guard byte(k) == UInt8(ascii: "%"), byte(k + 1) == UInt8(ascii: "}") else { return nil }
        tokens.removeLast()
        advance(k + 2 - i)
        let bodyStart = i
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "{"), byte(i + 1) == UInt8(ascii: "%"), let end = matchEndraw(at: i) {
                var from = bodyStart
                var to = i
                if rawStrip {
                    while from < to, JinjaLexer.isSpace(bytes[from]) { from += 1 }
                } else if rawTrim, from < to, bytes[from] == 10 {
                    from += 1
                }
                if end.leftStrip {
                    while to > from, JinjaLexer.isSpace(bytes[to - 1]) { to -= 1 }
                }
                tokens.append(
                    JinjaToken(kind: .raw(String(decoding: bytes[from..<to], as: UTF8.self)), line: l, column: c))
                advance(end.length)
                return (end.rightStrip, end.rightTrim)
            }
            advance(1)
        }
        throw error("missing end of raw directive", line: l, column: c)
    }

    func matchEndraw(at start: Int) -> (length: Int, leftStrip: Bool, rightStrip: Bool, rightTrim: Bool)? {
        var k = start + 2
        var leftStrip = false
        if byte(k) == UInt8(ascii: "-") || byte(k) == UInt8(ascii: "+") {
            leftStrip = byte(k) == UInt8(ascii: "-")
            k += 1
        }
        while let b = byte(k), JinjaLexer.isSpace(b) { k += 1 }
        guard bytes[k..<min(k + 6, bytes.count)].elementsEqual("endraw".utf8) else { return nil }
        k += 6
        while let b = byte(k), JinjaLexer.isSpace(b) { k += 1 }
        var rightStrip = false
        var rightTrim = options.trimBlocks
        if byte(k) == UInt8(ascii: "-") || byte(k) == UInt8(ascii: "+") {
            rightStrip = byte(k) == UInt8(ascii: "-")
            rightTrim = false
            k += 1
        }
        guard byte(k) == UInt8(ascii: "%"), byte(k + 1) == UInt8(ascii: "}") else { return nil }
        return (k + 2 - start, leftStrip, rightStrip, rightTrim)
    }
}
