import Foundation

/// Splits template text into tokens: literal data (after whitespace control), tag delimiters, and the
/// expression tokens inside `{{ }}` and `{% %}`. Works on UTF-8 bytes because every delimiter is ASCII.
struct JinjaLexer {
    let bytes: [UInt8]
    let options: TemplateOptions
    var i = 0
    var line = 1
    var lineStart = 0
    var tokens: [JinjaToken] = []

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

    static func tokenize(_ source: String, options: TemplateOptions) throws -> [JinjaToken] {
        var lexer = JinjaLexer(source, options: options)
        try lexer.run()
        return lexer.tokens
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

    mutating func run() throws {
        var stripNextLeading = false
        var trimNextNewline = false
        while i < bytes.count {
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
            var data = Array(bytes[dataStart..<tagAt])
            let kind = tagAt < bytes.count ? bytes[tagAt + 1] : 0
            let modifier = byte(tagAt + 2)
            var startsLine = dataStart == 0 || bytes[dataStart - 1] == 10
            if stripNextLeading {
                while let f = data.first, JinjaLexer.isSpace(f) { data.removeFirst() }
            } else if trimNextNewline {
                if data.first == UInt8(ascii: "\n") {
                    data.removeFirst()
                    startsLine = true
                } else if data.starts(with: [13, 10]) {
                    data.removeFirst(2)
                    startsLine = true
                }
            }
            if tagAt < bytes.count {
                if modifier == UInt8(ascii: "-") {
                    while let l = data.last, JinjaLexer.isSpace(l) { data.removeLast() }
                } else if options.lstripBlocks, kind != UInt8(ascii: "{"), modifier != UInt8(ascii: "+") {
                    lstripLine(&data, startsLine: startsLine)
                }
            }
            if !data.isEmpty {
                tokens.append(
                    JinjaToken(kind: .data(String(decoding: data, as: UTF8.self)), line: dataLine, column: dataColumn))
            }
            advance(tagAt - dataStart)
            if i >= bytes.count { break }
            let hasModifier = modifier == UInt8(ascii: "-") || modifier == UInt8(ascii: "+")
            let tagLine = line
            let tagColumn = column
            advance(hasModifier ? 3 : 2)
            let closing: (strip: Bool, trim: Bool)
            switch kind {
            case UInt8(ascii: "#"):
                closing = try skipComment(line: tagLine, column: tagColumn)
            case UInt8(ascii: "{"):
                tokens.append(JinjaToken(kind: .variableBegin, line: tagLine, column: tagColumn))
                closing = try lexInside(
                    close: UInt8(ascii: "}"), endKind: .variableEnd, tagLine: tagLine, tagColumn: tagColumn)
            default:
                tokens.append(JinjaToken(kind: .blockBegin, line: tagLine, column: tagColumn))
                if let raw = try lexRawIfPresent(line: tagLine, column: tagColumn) {
                    closing = raw
                } else {
                    closing = try lexInside(
                        close: UInt8(ascii: "%"), endKind: .blockEnd, tagLine: tagLine, tagColumn: tagColumn)
                }
            }
            stripNextLeading = closing.strip
            trimNextNewline = closing.trim && kind != UInt8(ascii: "{")
        }
        tokens.append(JinjaToken(kind: .end, line: line, column: column))
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 }

    /// lstrip_blocks: drop the spaces and tabs before a tag when nothing else precedes it on its line.
    func lstripLine(_ data: inout [UInt8], startsLine: Bool) {
        var k = data.count
        while k > 0, data[k - 1] == 32 || data[k - 1] == 9 { k -= 1 }
        let atLineStart = k > 0 ? data[k - 1] == 10 : startsLine
        if atLineStart { data.removeLast(data.count - k) }
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
                var body = Array(bytes[bodyStart..<i])
                if rawStrip {
                    while let f = body.first, JinjaLexer.isSpace(f) { body.removeFirst() }
                } else if rawTrim, body.first == 10 {
                    body.removeFirst()
                }
                if end.leftStrip {
                    while let last = body.last, JinjaLexer.isSpace(last) { body.removeLast() }
                }
                tokens.append(JinjaToken(kind: .raw(String(decoding: body, as: UTF8.self)), line: l, column: c))
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
