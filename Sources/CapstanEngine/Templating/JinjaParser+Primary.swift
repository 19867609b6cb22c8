/// Literals, names, brackets, and what may follow them: `.attr`, `[index]`, `(call)`, `| filter`, `is test`.
extension JinjaParser {
    mutating func parsePrimary() throws -> JinjaExpr {
        let t = next()
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
                _ = next()
            }
            return .literal(.string(s))
        case .integer(let i): return .literal(.int(i))
        case .float(let d): return .literal(.float(d))
        case .op("("):
            if current.isOp(")") {
                _ = next()
                return .list([])
            }
            let first = try parseExpression()
            if current.isOp(")") {
                _ = next()
                return first
            }
            var items = [first]
            while current.isOp(",") {
                _ = next()
                if current.isOp(")") { break }
                items.append(try parseExpression())
            }
            try expectOp(")")
            return .list(items)
        case .op("["):
            var items: [JinjaExpr] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            _ = next()
            return .list(items)
        case .op("{"):
            var pairs: [(JinjaExpr, JinjaExpr)] = []
            while !current.isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let key = try parseExpression()
                try expectOp(":")
                pairs.append((key, try parseExpression()))
            }
            _ = next()
            return .dict(pairs)
        case .end, .variableEnd, .blockEnd:
            throw fail("unexpected end of expression", at: t)
        default:
            throw fail("unexpected \(t.display)", at: t)
        }
    }

    mutating func parsePostfix(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            if current.isOp(".") {
                _ = next()
                let t = next()
                switch t.kind {
                case .name(let n): node = .attribute(node, n)
                case .integer(let i): node = .item(node, .literal(.int(i)))
                default: throw fail("expected name or number after '.'", at: t)
                }
            } else if current.isOp("[") {
                _ = next()
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                _ = next()
                node = .call(node, args: try parseCallArguments())
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: JinjaExpr) throws -> JinjaExpr {
        var parts: [JinjaExpr?] = [nil]
        var isSlice = false
        while !current.isOp("]") {
            if current.isOp(":") {
                _ = next()
                isSlice = true
                parts.append(nil)
            } else {
                guard parts[parts.count - 1] == nil else { throw fail("expected ']', got \(current.display)") }
                parts[parts.count - 1] = try parseExpression()
            }
        }
        _ = next()
        guard isSlice else {
            guard let index = parts[0] else { throw fail("expected an index") }
            return .item(base, index)
        }
        guard parts.count <= 3 else { throw fail("invalid slice") }
        return .slice(
            base, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil)
    }

    /// After `(`: `a, b, key=c)`.
    mutating func parseCallArguments() throws -> JinjaArguments {
        var args = JinjaArguments()
        while !current.isOp(")") {
            if !(args.positional.isEmpty && args.keywords.isEmpty) { try expectOp(",") }
            if current.isOp(")") { break }
            if case .name(let key) = current.kind, peek().isOp("=") {
                _ = next()
                _ = next()
                args.keywords.append((key, try parseExpression()))
            } else {
                guard args.keywords.isEmpty else { throw fail("positional argument follows keyword argument") }
                args.positional.append(try parseExpression())
            }
        }
        _ = next()
        return args
    }

    mutating func parseFilterExpression(_ start: JinjaExpr) throws -> JinjaExpr {
        var node = start
        while true {
            if current.isOp("|") {
                let bar = next()
                var name = try expectName()
                while current.isOp("."), case .name(let more) = peek().kind {
                    _ = next()
                    _ = next()
                    name += "." + more
                }
                var args = JinjaArguments()
                if current.isOp("(") {
                    _ = next()
                    args = try parseCallArguments()
                }
                node = .filter(node, name: name, args: args, line: bar.line)
            } else if current.isName("is") {
                _ = next()
                node = try parseTest(node)
            } else if current.isOp("(") {
                _ = next()
                node = .call(node, args: try parseCallArguments())
            } else {
                return node
            }
        }
    }

    private mutating func parseTest(_ subject: JinjaExpr) throws -> JinjaExpr {
        var negated = false
        if current.isName("not") {
            _ = next()
            negated = true
        }
        var name = try expectName()
        while current.isOp("."), case .name(let more) = peek().kind {
            _ = next()
            _ = next()
            name += "." + more
        }
        var args = JinjaArguments()
        if current.isOp("(") {
            _ = next()
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
