/// Expressions, by Jinja2's precedence: inline if, or, and, not, comparisons, + -, ~, * / // %, **,
/// unary minus, then postfix access, calls, filters and tests.
extension JinjaParser {
    /// A full expression, inline `if` included.
    mutating func parseExpression() throws -> JinjaExpr {
        let value = try parseOr()
        guard current.isName("if") else { return value }
        _ = next()
        let condition = try parseOr()
        var otherwise: JinjaExpr?
        if current.isName("else") {
            _ = next()
            otherwise = try parseExpression()
        }
        return .conditional(condition: condition, then: value, else: otherwise)
    }

    /// An expression without a trailing inline `if` (a `for` loop's iterable, where `if` filters items).
    mutating func parseConditionalFree() throws -> JinjaExpr {
        let first = try parseOr()
        guard current.isOp(",") else { return first }
        var items = [first]
        while current.isOp(",") {
            _ = next()
            items.append(try parseOr())
        }
        return .list(items)
    }

    /// `a, b` as a tuple (a list for us), or a single expression.
    mutating func parseTupleOrExpression() throws -> JinjaExpr {
        let first = try parseExpression()
        guard current.isOp(",") else { return first }
        var items = [first]
        while current.isOp(",") {
            _ = next()
            if current.kind == .blockEnd || current.kind == .variableEnd { break }
            items.append(try parseExpression())
        }
        return .list(items)
    }

    mutating func parseOr() throws -> JinjaExpr {
        var left = try parseAnd()
        while current.isName("or") {
            _ = next()
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws -> JinjaExpr {
        var left = try parseNot()
        while current.isName("and") {
            _ = next()
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws -> JinjaExpr {
        if current.isName("not") {
            _ = next()
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    /// Comparisons chain as in Python: `a < b < c` is `a < b and b < c`.
    mutating func parseCompare() throws -> JinjaExpr {
        var left = try parseMath1()
        var result: JinjaExpr?
        while true {
            let op: String
            if case .op(let o) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(o) {
                _ = next()
                op = o
            } else if current.isName("in") {
                _ = next()
                op = "in"
            } else if current.isName("not"), peek().isName("in") {
                _ = next()
                _ = next()
                op = "not in"
            } else {
                return result ?? left
            }
            let right = try parseMath1()
            let comparison = JinjaExpr.compare(op, left, right)
            result = result.map { .and($0, comparison) } ?? comparison
            left = right
        }
    }

    mutating func parseMath1() throws -> JinjaExpr {
        var left = try parseConcat()
        while case .op(let op) = current.kind, op == "+" || op == "-" {
            _ = next()
            left = .binary(op, left, try parseConcat())
        }
        return left
    }

    mutating func parseConcat() throws -> JinjaExpr {
        var parts = [try parseMath2()]
        while current.isOp("~") {
            _ = next()
            parts.append(try parseMath2())
        }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    mutating func parseMath2() throws -> JinjaExpr {
        var left = try parsePow()
        while case .op(let op) = current.kind, ["*", "/", "//", "%"].contains(op) {
            _ = next()
            left = .binary(op, left, try parsePow())
        }
        return left
    }

    mutating func parsePow() throws -> JinjaExpr {
        var left = try parseUnary(withFilter: true)
        while current.isOp("**") {
            _ = next()
            left = .binary("**", left, try parseUnary(withFilter: true))
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool) throws -> JinjaExpr {
        var node: JinjaExpr
        if current.isOp("-") || current.isOp("+") {
            let op = next()
            node = .unary(op.isOp("-") ? "-" : "+", try parseUnary(withFilter: false))
        } else {
            node = try parsePostfix(try parsePrimary())
        }
        return withFilter ? try parseFilterExpression(node) : node
    }
}
