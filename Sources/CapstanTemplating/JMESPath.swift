import CapstanBasics
import Foundation

/// The JMESPath that `json_query` runs: fields, indexes, slices, projections (`[*]`, `*`, `[]`),
/// filters (`[?a == 'x']`), multiselect lists and hashes, pipes, `||`/`&&`/`!`, comparisons,
/// literals and the built-in functions (`jmespath.py`'s grammar and binding powers). Anything else
/// is an error naming the position, never a guess.
struct JMESPath {
    indirect enum Node {
        case current, field(String), literal(Value), index(Int), slice(Int?, Int?, Int?)
        case sub(Node, Node), pipe(Node, Node), or(Node, Node), and(Node, Node), not(Node)
        case compare(String, Node, Node)
        case projection(Node, Node), valueProjection(Node, Node), flatten(Node)
        case filter(Node, Node, Node)
        case list([Node]), hash([(String, Node)]), function(String, [Node]), reference(Node)
    }

    let root: Node
    /// Deepest nesting of the expression, so a hostile one cannot exhaust the stack.
    static let maxDepth = 100

    init(_ text: String) throws {
        var parser = Parser(tokens: try Lexer.tokens(text), text: text)
        root = try parser.expression(0)
        guard parser.peek.kind == "eof" else { throw parser.error("Unexpected token: \(parser.peek.text)") }
    }

    func search(_ data: Value) throws -> Value { try JMESPathEvaluator().evaluate(root, data) }

    struct Token {
        var kind: String
        var text: String
        var value: Value = .null
        var position: Int
    }

    enum Lexer {
        static let simple: [Character: String] = [
            ".": "dot", "*": "star", "]": "rbracket", ",": "comma", ":": "colon", "@": "current", "(": "lparen",
            ")": "rparen", "{": "lbrace", "}": "rbrace",
        ]

        static func tokens(_ text: String) throws -> [Token] {
            let chars = Array(text)
            var out: [Token] = []
            var i = 0
            func fail(_ why: String) -> TemplateError {
                TemplateError("JMESPathError in json_query filter plugin: \(why) at column \(i) in \(text)")
            }
            while i < chars.count {
                let c = chars[i]
                let start = i
                if c == " " || c == "\t" || c == "\n" {
                    i += 1
                } else if let kind = simple[c] {
                    out.append(Token(kind: kind, text: String(c), position: i))
                    i += 1
                } else if c.isLetter || c == "_" {
                    while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
                    out.append(Token(kind: "identifier", text: String(chars[start..<i]), position: start))
                } else if c.isNumber || c == "-" {
                    i += 1
                    while i < chars.count, chars[i].isNumber { i += 1 }
                    guard let n = Int(String(chars[start..<i])) else { throw fail("invalid number") }
                    out.append(Token(kind: "number", text: String(chars[start..<i]), value: .int(n), position: start))
                } else if c == "[" {
                    let next = i + 1 < chars.count ? chars[i + 1] : " "
                    if next == "]" {
                        out.append(Token(kind: "flatten", text: "[]", position: i))
                        i += 2
                    } else if next == "?" {
                        out.append(Token(kind: "filter", text: "[?", position: i))
                        i += 2
                    } else {
                        out.append(Token(kind: "lbracket", text: "[", position: i))
                        i += 1
                    }
                } else if c == "\"" || c == "'" || c == "`" {
                    i += 1
                    var body = ""
                    // A backslash escapes the quote; in "..." every escape is JSON's and stays for the decoder.
                    while i < chars.count, chars[i] != c {
                        if chars[i] == "\\", i + 1 < chars.count {
                            if c == "\"" || chars[i + 1] != c { body.append("\\") }
                            i += 1
                        }
                        body.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count else { throw fail("unterminated \(c) quote") }
                    i += 1
                    switch c {
                    case "\"":
                        guard case .string(let name) = try? Value(jsonText: "\"" + body + "\"") else {
                            throw fail("invalid quoted identifier")
                        }
                        out.append(Token(kind: "quoted", text: name, position: start))
                    case "'":
                        out.append(Token(kind: "literal", text: body, value: .string(body), position: start))
                    default:
                        let trimmed = body.trimmingCharacters(in: .whitespaces)
                        guard let value = try? Value(jsonText: trimmed) else { throw fail("invalid JSON literal") }
                        out.append(Token(kind: "literal", text: body, value: value, position: start))
                    }
                } else {
                    let two = i + 1 < chars.count ? String(chars[i...i + 1]) : String(c)
                    let pairs = ["||": "or", "&&": "and", "==": "eq", "!=": "ne", "<=": "lte", ">=": "gte"]
                    let singles: [Character: String] = ["|": "pipe", "&": "expref", "!": "not", "<": "lt", ">": "gt"]
                    if let kind = pairs[two] {
                        out.append(Token(kind: kind, text: two, position: i))
                        i += 2
                    } else if let kind = singles[c] {
                        out.append(Token(kind: kind, text: String(c), position: i))
                        i += 1
                    } else {
                        throw fail("unknown character \(Value.string(String(c)).pythonRepr)")
                    }
                }
            }
            out.append(Token(kind: "eof", text: "", position: chars.count))
            return out
        }
    }

    struct Parser {
        let tokens: [Token]
        let text: String
        var index = 0
        var depth = 0

        static let power: [String: Int] = [
            "pipe": 1, "or": 2, "and": 3, "eq": 5, "ne": 5, "lt": 5, "lte": 5, "gt": 5, "gte": 5, "flatten": 9,
            "star": 20, "filter": 21, "dot": 40, "not": 45, "lbrace": 50, "lbracket": 55, "lparen": 60,
        ]
        static let comparators = ["eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="]

        var peek: Token { tokens[index] }
        func peek(_ n: Int) -> Token { tokens[min(index + n, tokens.count - 1)] }

        func error(_ why: String) -> TemplateError {
            TemplateError("JMESPathError in json_query filter plugin: \(why) at column \(peek.position) in \(text)")
        }

        mutating func advance() -> Token {
            defer { index = min(index + 1, tokens.count - 1) }
            return tokens[index]
        }

        mutating func expect(_ kind: String) throws {
            guard peek.kind == kind else {
                throw error("Expected \(kind), got \(peek.kind == "eof" ? "end of expression" : peek.text)")
            }
            _ = advance()
        }

        mutating func expression(_ bindingPower: Int) throws -> Node {
            depth += 1
            defer { depth -= 1 }
            guard depth <= JMESPath.maxDepth else { throw error("expression nested too deeply") }
            var left = try nud(advance())
            while bindingPower < Self.power[peek.kind, default: 0] {
                left = try led(advance(), left)
            }
            return left
        }

        private mutating func nud(_ token: Token) throws -> Node {
            switch token.kind {
            case "literal": return .literal(token.value)
            case "identifier": return .field(token.text)
            case "quoted":
                if peek.kind == "lparen" { throw error("Quoted identifier not allowed for function names") }
                return .field(token.text)
            case "star": return .valueProjection(.current, try projectionRHS(Self.power["star"]!))
            case "filter": return try filter(.current)
            case "lbrace": return try hash()
            case "lparen":
                let inner = try expression(0)
                try expect("rparen")
                return inner
            case "flatten": return .projection(.flatten(.current), try projectionRHS(Self.power["flatten"]!))
            case "not": return .not(try expression(Self.power["not"]!))
            case "lbracket":
                if peek.kind == "number" || peek.kind == "colon" { return try indexExpression(.current) }
                if peek.kind == "star", peek(1).kind == "rbracket" {
                    _ = advance()
                    _ = advance()
                    return .projection(.current, try projectionRHS(Self.power["star"]!))
                }
                return try list()
            case "current": return .current
            case "expref": return .reference(try expression(0))
            default: throw error("Unexpected token: \(token.kind == "eof" ? "end of expression" : token.text)")
            }
        }

        private mutating func led(_ token: Token, _ left: Node) throws -> Node {
            switch token.kind {
            case "dot":
                if peek.kind == "star" {
                    _ = advance()
                    return .valueProjection(left, try projectionRHS(Self.power["dot"]!))
                }
                return .sub(left, try dotRHS(Self.power["dot"]!))
            case "pipe": return .pipe(left, try expression(Self.power["pipe"]!))
            case "or": return .or(left, try expression(Self.power["or"]!))
            case "and": return .and(left, try expression(Self.power["and"]!))
            case "lparen":
                guard case .field(let name) = left else { throw error("Invalid function name") }
                var args: [Node] = []
                while peek.kind != "rparen" {
                    args.append(try expression(0))
                    if peek.kind == "comma" { _ = advance() } else if peek.kind != "rparen" { try expect("rparen") }
                }
                _ = advance()
                return .function(name, args)
            case "filter": return try filter(left)
            case "flatten": return .projection(.flatten(left), try projectionRHS(Self.power["flatten"]!))
            case "lbracket":
                if peek.kind == "number" || peek.kind == "colon" { return try indexExpression(left) }
                try expect("star")
                try expect("rbracket")
                return .projection(left, try projectionRHS(Self.power["star"]!))
            default:
                if let op = Self.comparators[token.kind] {
                    return .compare(op, left, try expression(Self.power[token.kind]!))
                }
                throw error("Unexpected token: \(token.text)")
            }
        }

        /// `[n]` or `[a:b:c]` after `left` (the `[` already read).
        private mutating func indexExpression(_ left: Node) throws -> Node {
            var parts: [Int?] = [nil]
            var colons = 0
            while peek.kind != "rbracket" {
                switch peek.kind {
                case "colon":
                    colons += 1
                    guard colons <= 2 else { throw error("Too many colons in slice expression") }
                    parts.append(nil)
                case "number":
                    if case .int(let n) = peek.value { parts[colons] = n }
                default: throw error("Unexpected token in index: \(peek.text)")
                }
                _ = advance()
            }
            _ = advance()
            guard colons > 0 else { return .sub(left, .index(parts[0] ?? 0)) }
            while parts.count < 3 { parts.append(nil) }
            if parts[2] == 0 { throw error("Step cannot be 0") }
            let slice = Node.slice(parts[0], parts[1], parts[2])
            return .projection(.sub(left, slice), try projectionRHS(Self.power["star"]!))
        }

        private mutating func filter(_ left: Node) throws -> Node {
            let condition = try expression(0)
            try expect("rbracket")
            return .filter(left, try projectionRHS(Self.power["filter"]!), condition)
        }

        private mutating func projectionRHS(_ bindingPower: Int) throws -> Node {
            if Self.power[peek.kind, default: 0] < 10 { return .current }
            switch peek.kind {
            case "lbracket", "filter": return try expression(bindingPower)
            case "dot":
                _ = advance()
                return try dotRHS(bindingPower)
            default: throw error("Unexpected token after projection: \(peek.text)")
            }
        }

        private mutating func dotRHS(_ bindingPower: Int) throws -> Node {
            switch peek.kind {
            case "identifier", "quoted", "star": return try expression(bindingPower)
            case "lbracket":
                _ = advance()
                return try list()
            case "lbrace":
                _ = advance()
                return try hash()
            default: throw error("Expected identifier, '*', '[' or '{' after '.', got \(peek.text)")
            }
        }

        private mutating func list() throws -> Node {
            var items: [Node] = []
            repeat {
                if !items.isEmpty { try expect("comma") }
                items.append(try expression(0))
            } while peek.kind == "comma"
            try expect("rbracket")
            return .list(items)
        }

        private mutating func hash() throws -> Node {
            var pairs: [(String, Node)] = []
            repeat {
                if !pairs.isEmpty { try expect("comma") }
                let key = advance()
                guard key.kind == "identifier" || key.kind == "quoted" else { throw error("Expected a key name") }
                try expect("colon")
                pairs.append((key.text, try expression(0)))
            } while peek.kind == "comma"
            try expect("rbrace")
            return .hash(pairs)
        }
    }
}
