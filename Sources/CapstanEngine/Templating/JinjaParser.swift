/// Builds the statement tree of a template from its tokens: text, `{{ }}` output and `{% %}` statements.
struct JinjaParser {
    var tokens: [JinjaToken]
    var position = 0

    init(tokens: [JinjaToken]) { self.tokens = tokens }

    var current: JinjaToken { tokens[position] }
    func peek(_ k: Int = 1) -> JinjaToken { tokens[min(position + k, tokens.count - 1)] }
    mutating func next() -> JinjaToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func fail(_ message: String, at token: JinjaToken? = nil) -> TemplateError {
        let t = token ?? current
        return TemplateError(message, line: t.line, column: t.column)
    }

    mutating func expectOp(_ op: String) throws {
        guard current.isOp(op) else { throw fail("expected token '\(op)', got \(current.display)") }
        _ = next()
    }

    mutating func expectName() throws -> String {
        guard case .name(let n) = current.kind else { throw fail("expected a name, got \(current.display)") }
        _ = next()
        return n
    }

    mutating func expectBlockEnd() throws {
        guard current.kind == .blockEnd else { throw fail("expected end of statement block, got \(current.display)") }
        _ = next()
    }

    /// Parses the whole template.
    mutating func parseTemplate() throws -> [JinjaNode] {
        let (nodes, end) = try parseBody(until: [])
        if let end { throw fail("unexpected '\(end)'", at: tokens[position - 1]) }
        return nodes
    }

    /// Parses nodes until a block tag whose first name is in `enders`; leaves the stream after that name.
    mutating func parseBody(until enders: Set<String>) throws -> ([JinjaNode], String?) {
        var nodes: [JinjaNode] = []
        while true {
            let t = next()
            switch t.kind {
            case .data(let s), .raw(let s): nodes.append(.text(s))
            case .variableBegin:
                let e = try parseTupleOrExpression()
                guard current.kind == .variableEnd else {
                    throw fail("expected end of print statement, got \(current.display)")
                }
                _ = next()
                nodes.append(.output(e, line: t.line))
            case .blockBegin:
                guard case .name(let keyword) = current.kind else { throw fail("tag name expected") }
                if enders.contains(keyword) {
                    _ = next()
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
        let keyword = try expectName()
        switch keyword {
        case "if": return try parseIf(line: tag.line)
        case "for": return try parseFor(line: tag.line)
        case "set": return try parseSet(line: tag.line)
        case "macro": return try parseMacro()
        case "with": return try parseWith(line: tag.line)
        case "include": return try parseInclude(line: tag.line)
        case "endif", "endfor", "else", "elif", "endset", "endraw", "endmacro", "endwith":
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
            _ = next()
            targets.append(try expectName())
        }
        guard current.isName("in") else { throw fail("expected 'in', got \(current.display)") }
        _ = next()
        let iterable = try parseConditionalFree()
        var condition: JinjaExpr?
        if current.isName("if") {
            _ = next()
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
            _ = next()
            _ = next()
            try expectOp("=")
            let value = try parseTupleOrExpression()
            try expectBlockEnd()
            return .setAttribute(target: targets[0], attribute: attribute, value, line: line)
        }
        while current.isOp(",") {
            _ = next()
            targets.append(try expectName())
        }
        if current.kind == .blockEnd, targets.count == 1 {
            _ = next()
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
        var parameters: [(String, JinjaExpr?)] = []
        while !current.isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            let parameter = try expectName()
            var fallback: JinjaExpr?
            if current.isOp("=") {
                _ = next()
                fallback = try parseExpression()
            }
            parameters.append((parameter, fallback))
        }
        _ = next()
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endmacro"])
        if case .name = current.kind { _ = next() }
        try expectBlockEnd()
        return .macro(JinjaMacro(name: name, parameters: parameters, body: body))
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

    mutating func parseInclude(line: Int) throws -> JinjaNode {
        let name = try parseExpression()
        var ignoreMissing = false
        if current.isName("ignore"), peek().isName("missing") {
            _ = next()
            _ = next()
            ignoreMissing = true
        }
        if current.isName("with") || current.isName("without") {
            _ = next()
            guard current.isName("context") else { throw fail("expected 'context', got \(current.display)") }
            _ = next()
        }
        try expectBlockEnd()
        return .include(name, ignoreMissing: ignoreMissing, line: line)
    }
}
