/// Builds the statement tree of a template from its tokens: text, `{{ }}` output and `{% %}` statements.
struct JinjaParser {
    /// Makes tokens as the parser asks for them.
    var lexer: JinjaLexer
    /// The token being looked at, the one after it, and the one before it (for error places).
    private(set) var current: JinjaToken
    private var following: JinjaToken
    private var previous: JinjaToken
    /// How deeply the parse functions are nested now (brackets, `not`, unary signs, blocks): bounded so
    /// that hostile input cannot exhaust the stack.
    var depth = 0
    /// The height of the expression tree the last expression parse function returned; bounded as trees
    /// are built, since evaluating and freeing a tree recurse once per level.
    var height = 0
    /// The `{% block %}`s met so far, by name: a name may be defined once per template.
    var blocks: [String: JinjaBlock] = [:]

    init(_ source: String, options: TemplateOptions) throws {
        lexer = JinjaLexer(source, options: options)
        current = try lexer.nextToken()
        following = current.kind == .end ? current : try lexer.nextToken()
        previous = current
    }

    /// The token after the current one.
    func peek() -> JinjaToken { following }

    /// Moves on by one token and returns the one moved past; stays on `.end`.
    mutating func next() throws -> JinjaToken {
        let t = current
        guard t.kind != .end else { return t }
        previous = current
        current = following
        if following.kind != .end { following = try lexer.nextToken() }
        return t
    }

    func fail(_ message: String, at token: JinjaToken? = nil) -> TemplateError {
        let t = token ?? current
        return TemplateError(message, line: t.line, column: t.column)
    }

    /// Enters one more level of nesting; pair with `depth -= 1` when leaving it.
    mutating func enter() throws {
        depth += 1
        guard depth <= TemplateLimits.maxNesting else { throw tooDeep() }
    }

    func tooDeep() -> TemplateError {
        fail(
            "template nested too deeply: more than \(TemplateLimits.maxNesting) levels (maximum recursion depth exceeded)"
        )
    }

    /// Records `e` as built over children of the given heights, refusing a tree deeper than the limit.
    /// (Three parameters rather than a variadic list: no array to allocate per node.)
    mutating func node(_ e: JinjaExpr, over a: Int, _ b: Int = 0, _ c: Int = 0) throws -> JinjaExpr {
        height = max(a, b, c) + 1
        guard height <= TemplateLimits.maxNesting else { throw tooDeep() }
        return e
    }

    mutating func expectOp(_ op: String) throws {
        guard current.isOp(op) else { throw fail("expected token '\(op)', got \(current.display)") }
        _ = try next()
    }

    mutating func expectName() throws -> String {
        guard case .name(let n) = current.kind else { throw fail("expected a name, got \(current.display)") }
        _ = try next()
        return n
    }

    mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else { throw fail("expected end of statement block, got \(current.display)") }
        _ = try next()
    }

    /// Parses the whole template.
    mutating func parseTemplate() throws -> [JinjaNode] {
        let (nodes, end) = try parseBody(until: [])
        if let end { throw fail("unexpected '\(end)'", at: previous) }
        return nodes
    }

    /// Parses nodes until a block tag whose first name is in `enders`; leaves the stream after that name.
    mutating func parseBody(until enders: Set<String>) throws -> ([JinjaNode], String?) {
        var nodes: [JinjaNode] = []
        while true {
            let t = try next()
            switch t.kind {
            case .data(let s), .raw(let s): nodes.append(.text(s))
            case .variableBegin:
                let e = try parseTupleOrExpression()
                guard current.kind == .variableEnd else {
                    throw fail("expected end of print statement, got \(current.display)")
                }
                _ = try next()
                nodes.append(.output(e, line: t.line))
            case .blockBegin:
                guard case .name(let keyword) = current.kind else { throw fail("tag name expected") }
                if enders.contains(keyword) {
                    _ = try next()
                    return (nodes, keyword)
                }
                nodes.append(try parseStatement())
            case .end:
                if !enders.isEmpty {
                    let list = enders.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw fail("unexpected end of template, expected \(list)", at: t)
                }
                return (nodes, nil)
            default:
                throw fail("unexpected \(t.display)", at: t)
            }
        }
    }

    mutating func parseStatement() throws -> JinjaNode {
        let tag = current
        try enter()
        defer { depth -= 1 }
        let keyword = try expectName()
        switch keyword {
        case "if": return try parseIf(line: tag.line)
        case "for": return try parseFor(line: tag.line)
        case "set": return try parseSet(line: tag.line)
        case "macro": return try parseMacro()
        case "with": return try parseWith(line: tag.line)
        case "include": return try parseInclude(line: tag.line)
        case "import": return try parseImport(line: tag.line)
        case "from": return try parseFromImport(line: tag.line)
        case "block": return try parseBlock(line: tag.line)
        case "extends": return try parseExtends(line: tag.line)
        case "filter": return try parseFilterBlock(line: tag.line)
        case "call": return try parseCallBlock(line: tag.line)
        case "endif", "endfor", "else", "elif", "endset", "endraw", "endmacro", "endwith", "endblock", "endfilter",
            "endcall":
            throw fail(
                "encountered unknown tag '\(keyword)'. Jinja was looking for nothing, this tag is out of place", at: tag
            )
        default:
            throw fail("encountered unknown tag '\(keyword)'", at: tag)
        }
    }

    mutating func parseIf(line: Int) throws -> JinjaNode {
        var branches: [(JinjaExpr, [JinjaNode])] = []
        var condition = try parseExpression()
        try expectBlockEnd()
        while true {
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            switch end {
            case "elif":
                condition = try parseExpression()
                try expectBlockEnd()
            case "else":
                try expectBlockEnd()
                let (otherwise, _) = try parseBody(until: ["endif"])
                try expectBlockEnd()
                return .ifChain(branches, otherwise: otherwise, line: line)
            default:
                try expectBlockEnd()
                return .ifChain(branches, otherwise: nil, line: line)
            }
        }
    }

    mutating func parseFor(line: Int) throws -> JinjaNode {
        var targets = [try expectName()]
        while current.isOp(",") {
            _ = try next()
            targets.append(try expectName())
        }
        guard current.isName("in") else { throw fail("expected 'in', got \(current.display)") }
        _ = try next()
        let iterable = try parseConditionalFree()
        var condition: JinjaExpr?
        if current.isName("if") {
            _ = try next()
            condition = try parseExpression()
        }
        if current.isName("recursive") { throw fail("recursive loops are not supported") }
        try expectBlockEnd()
        let (body, end) = try parseBody(until: ["else", "endfor"])
        var otherwise: [JinjaNode]?
        try expectBlockEnd()
        if end == "else" {
            otherwise = try parseBody(until: ["endfor"]).0
            try expectBlockEnd()
        }
        return .forLoop(
            JinjaForLoop(
                targets: targets, iterable: iterable, condition: condition, body: body,
                otherwise: otherwise, line: line))
    }

    mutating func parseSet(line: Int) throws -> JinjaNode {
        var targets = [try expectName()]
        if current.isOp("."), case .name(let attribute) = peek().kind {
            _ = try next()
            _ = try next()
            try expectOp("=")
            let value = try parseTupleOrExpression()
            try expectBlockEnd()
            return .setAttribute(target: targets[0], attribute: attribute, value, line: line)
        }
        while current.isOp(",") {
            _ = try next()
            targets.append(try expectName())
        }
        if current.kind == .blockEnd, targets.count == 1 {
            _ = try next()
            let (body, _) = try parseBody(until: ["endset"])
            try expectBlockEnd()
            return .setBlock(name: targets[0], body: body, line: line)
        }
        try expectOp("=")
        let value = try parseTupleOrExpression()
        try expectBlockEnd()
        return .set(targets: targets, value, line: line)
    }

    mutating func parseMacro() throws -> JinjaNode {
        let name = try expectName()
        try expectOp("(")
        let parameters = try parseParameters()
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endmacro"])
        if case .name = current.kind { _ = try next() }
        try expectBlockEnd()
        return .macro(JinjaMacro(name: name, parameters: parameters, body: body))
    }

    /// A macro's or call block's parameters after the `(`, through the `)`.
    mutating func parseParameters() throws -> [(String, JinjaExpr?)] {
        var parameters: [(String, JinjaExpr?)] = []
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let parameter = try expectName()
            var fallback: JinjaExpr?
            if current.isOp("=") {
                _ = try next()
                fallback = try parseExpression()
            }
            parameters.append((parameter, fallback))
        }
        _ = try next()
        return parameters
    }

    mutating func parseWith(line: Int) throws -> JinjaNode {
        var assignments: [(String, JinjaExpr)] = []
        while current.kind != .blockEnd {
            if !assignments.isEmpty { try expectOp(",") }
            let name = try expectName()
            try expectOp("=")
            assignments.append((name, try parseExpression()))
        }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endwith"])
        try expectBlockEnd()
        return .with(assignments: assignments, body: body, line: line)
    }

    /// `import EXPR as NAME [with|without context]`.
    mutating func parseImport(line: Int) throws -> JinjaNode {
        let file = try parseExpression()
        guard current.isName("as") else { throw fail("expected 'as', got \(current.display)") }
        _ = try next()
        let name = try expectName()
        try skipContextModifier()
        try expectBlockEnd()
        return .importAs(file, name: name, line: line)
    }

    /// `from EXPR import NAME [as ALIAS], ... [with|without context]`.
    mutating func parseFromImport(line: Int) throws -> JinjaNode {
        let file = try parseExpression()
        guard current.isName("import") else { throw fail("expected 'import', got \(current.display)") }
        _ = try next()
        var names: [(name: String, alias: String)] = []
        repeat {
            if !names.isEmpty { _ = try next() }
            if current.isName("with") || current.isName("without"), peek().isName("context") { break }
            let name = try expectName()
            var alias = name
            if current.isName("as") {
                _ = try next()
                alias = try expectName()
            }
            names.append((name, alias))
        } while current.isOp(",")
        guard !names.isEmpty else { throw fail("expected a name to import, got \(current.display)") }
        try skipContextModifier()
        try expectBlockEnd()
        return .fromImport(file, names: names, line: line)
    }

    /// `with context` / `without context` after an include or import: accepted (the templates here
    /// see the same variables either way).
    mutating func skipContextModifier() throws {
        if current.isName("with") || current.isName("without") {
            _ = try next()
            guard current.isName("context") else { throw fail("expected 'context', got \(current.display)") }
            _ = try next()
        }
    }

    mutating func parseInclude(line: Int) throws -> JinjaNode {
        let name = try parseExpression()
        var ignoreMissing = false
        if current.isName("ignore"), peek().isName("missing") {
            _ = try next()
            _ = try next()
            ignoreMissing = true
        }
        if current.isName("with") || current.isName("without") {
            _ = try next()
            guard current.isName("context") else { throw fail("expected 'context', got \(current.display)") }
            _ = try next()
        }
        try expectBlockEnd()
        return .include(name, ignoreMissing: ignoreMissing, line: line)
    }
}
