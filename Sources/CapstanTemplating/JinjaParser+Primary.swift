import CapstanBasics

/// Literals, names, brackets, and what may follow them: `.attr`, `[index]`, `(call)`, `| filter`, `is test`.
extension JinjaParser {
    mutating func parsePrimary() throws -> JinjaExpr {
        let t = try next()
        height = 1
        switch t.kind {
        case .name(let n):
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.null)
            default: return .name(n)
            }
        case .string(var s):
            while case .string(let more) = current.kind {
                s += more
                _ = try next()
            }
            return .literal(.string(s))
        case .integer(let i): return .literal(.int(i))
        case .float(let d): return .literal(.float(d))
        case .op("("):
            if current.isOp(")") {
                _ = try next()
                return .list([])
            }
            let first = try parseExpression()
            if current.isOp(")") {
                _ = try next()
                return first
            }
            var items = [first]
            var itemsHeight = height
            while current.isOp(",") {
                _ = try next()
                if current.isOp(")") { break }
                items.append(try parseExpression())
                itemsHeight = max(itemsHeight, height)
            }
            try expectOp(")")
            return try node(.list(items), over: itemsHeight)
        case .op("["):
            return try parseList()
        case .op("{"):
            var pairs: [(JinjaExpr, JinjaExpr)] = []
            var pairsHeight = 0
            while !current.isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                guard pairs.count < TemplateLimits.maxListCount else {
                    throw fail("dict literal too large: more than \(TemplateLimits.maxListCount) items")
                }
                let key = try parseExpression()
                pairsHeight = max(pairsHeight, height)
                try expectOp(":")
                pairs.append((key, try parseExpression()))
                pairsHeight = max(pairsHeight, height)
            }
            _ = try next()
            return try node(.dict(pairs), over: pairsHeight)
        case .end, .variableEnd, .blockEnd:
            throw fail("unexpected end of expression", at: t)
        default:
            throw fail("unexpected \(t.display)", at: t)
        }
    }

    /// After `[`: a list display. A list of constants becomes one constant, so that a large literal list
    /// costs a `Value` per item rather than an expression node each (strings holding templates excepted:
    /// conditionals template those when they are evaluated).
    private mutating func parseList() throws -> JinjaExpr {
        var constants: [Value] = []
        var items: [JinjaExpr] = []
        var folding = true
        var count = 0
        var itemsHeight = 0
        while !current.isOp("]") {
            if count > 0 { try expectOp(",") }
            if current.isOp("]") { break }
            count += 1
            guard count <= TemplateLimits.maxListCount else {
                throw fail("list literal too large: more than \(TemplateLimits.maxListCount) items")
            }
            let item = try parseExpression()
            itemsHeight = max(itemsHeight, height)
            if folding, case .literal(let v) = item, !(v.stringValue.map(Templar.isTemplated) ?? false) {
                constants.append(v)
                continue
            }
            if folding {
                items = constants.map { .literal($0) }
                constants = []
                folding = false
            }
            items.append(item)
        }
        _ = try next()
        return try node(folding ? .literal(.list(constants)) : .list(items), over: itemsHeight)
    }

    mutating func parsePostfix(_ start: JinjaExpr) throws -> JinjaExpr {
        var result = start
        while true {
            let baseHeight = height
            if current.isOp(".") {
                _ = try next()
                let t = try next()
                switch t.kind {
                case .name(let n): result = try node(.attribute(result, n), over: baseHeight)
                case .integer(let i): result = try node(.item(result, .literal(.int(i))), over: baseHeight, 1)
                default: throw fail("expected name or number after '.'", at: t)
                }
            } else if current.isOp("[") {
                _ = try next()
                result = try parseSubscript(result)
                result = try node(result, over: baseHeight, height)
            } else if current.isOp("(") {
                _ = try next()
                let args = try parseCallArguments()
                result = try node(.call(result, args: args), over: baseHeight, height)
            } else {
                height = baseHeight
                return result
            }
        }
    }

    private mutating func parseSubscript(_ base: JinjaExpr) throws -> JinjaExpr {
        var parts: [JinjaExpr?] = [nil]
        var partsHeight = 0
        var isSlice = false
        while !current.isOp("]") {
            if current.isOp(":") {
                _ = try next()
                isSlice = true
                parts.append(nil)
            } else {
                guard parts[parts.count - 1] == nil else { throw fail("expected ']', got \(current.display)") }
                parts[parts.count - 1] = try parseExpression()
                partsHeight = max(partsHeight, height)
            }
        }
        _ = try next()
        height = partsHeight
        guard isSlice else {
            guard let index = parts[0] else { throw fail("expected an index") }
            return .item(base, index)
        }
        guard parts.count <= 3 else { throw fail("invalid slice") }
        return .slice(
            base, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil)
    }

    /// After `(`: `a, b, key=c)`. Leaves the tallest argument's height in `height`.
    mutating func parseCallArguments() throws -> JinjaArguments {
        var args = JinjaArguments()
        var argsHeight = 0
        defer { height = argsHeight }
        while !current.isOp(")") {
            if !(args.positional.isEmpty && args.keywords.isEmpty) { try expectOp(",") }
            if current.isOp(")") { break }
            if case .name(let key) = current.kind, peek().isOp("=") {
                _ = try next()
                _ = try next()
                args.keywords.append((key, try parseExpression()))
            } else {
                guard args.keywords.isEmpty else { throw fail("positional argument follows keyword argument") }
                args.positional.append(try parseExpression())
            }
            argsHeight = max(argsHeight, height)
        }
        _ = try next()
        return args
    }

    mutating func parseFilterExpression(_ start: JinjaExpr) throws -> JinjaExpr {
        var result = start
        while true {
            let baseHeight = height
            if current.isOp("|") {
                let bar = try next()
                let name = try parseDottedName()
                var args = JinjaArguments()
                height = 0
                if current.isOp("(") {
                    _ = try next()
                    args = try parseCallArguments()
                }
                result = try node(.filter(result, name: name, args: args, line: bar.line), over: baseHeight, height)
            } else if current.isName("is") {
                _ = try next()
                result = try parseTest(result)
                result = try node(result, over: baseHeight, height)
            } else if current.isOp("(") {
                _ = try next()
                let args = try parseCallArguments()
                result = try node(.call(result, args: args), over: baseHeight, height)
            } else {
                height = baseHeight
                return result
            }
        }
    }

    /// A filter's or test's name, dots and all (`ansible.utils.ipaddr`, `community.general.dict`).
    mutating func parseDottedName() throws -> String {
        var name = try expectName()
        while current.isOp("."), case .name(let more) = peek().kind {
            _ = try next()
            _ = try next()
            name += "." + more
        }
        return name
    }

    private mutating func parseTest(_ subject: JinjaExpr) throws -> JinjaExpr {
        var negated = false
        if current.isName("not") {
            _ = try next()
            negated = true
        }
        let name = try parseDottedName()
        var args = JinjaArguments()
        height = 0
        if current.isOp("(") {
            _ = try next()
            args = try parseCallArguments()
        } else if startsBareTestArgument {
            args.positional = [try parsePostfix(try parsePrimary())]
        }
        return .test(subject, name: name, args: args, negated: negated)
    }

    /// `x is divisibleby 3`, `x is sameas false`: one argument without parentheses.
    private var startsBareTestArgument: Bool {
        switch current.kind {
        case .name(let n): return !["else", "or", "and", "is", "if", "in", "not"].contains(n)
        case .string, .integer, .float: return true
        case .op(let o): return o == "[" || o == "{"
        default: return false
        }
    }
}
