/// Expressions, by Jinja2's precedence: inline if, or, and, not, comparisons, + -, ~, * / // %, **,
/// unary minus, then postfix access, calls, filters and tests. Every function leaves the height of the
/// tree it returns in `height`, and every node is built through `node(_:over:)`, which bounds it.
extension JinjaParser {
    static let comparisons: Set<String> = ["==", "!=", "<", ">", "<=", ">="]
    static let products: Set<String> = ["*", "/", "//", "%"]

    /// A full expression, inline `if` included.
    mutating func parseExpression() throws -> JinjaExpr {
        try enter()
        defer { depth -= 1 }
        let value = try parseOr()
        guard current.isName("if") else { return value }
        let valueHeight = height
        _ = try next()
        let condition = try parseOr()
        let conditionHeight = height
        var otherwise: JinjaExpr?
        var otherwiseHeight = 0
        if current.isName("else") {
            _ = try next()
            otherwise = try parseExpression()
            otherwiseHeight = height
        }
        return try node(
            .conditional(condition: condition, then: value, else: otherwise),
            over: valueHeight, conditionHeight, otherwiseHeight)
    }

    /// An expression without a trailing inline `if` (a `for` loop's iterable, where `if` filters items).
    mutating func parseConditionalFree() throws -> JinjaExpr {
        let first = try parseOr()
        guard current.isOp(",") else { return first }
        var items = [first]
        var itemsHeight = height
        while current.isOp(",") {
            _ = try next()
            items.append(try parseOr())
            itemsHeight = max(itemsHeight, height)
        }
        return try node(.list(items), over: itemsHeight)
    }

    /// `a, b` as a tuple (a list for us), or a single expression.
    mutating func parseTupleOrExpression() throws -> JinjaExpr {
        let first = try parseExpression()
        guard current.isOp(",") else { return first }
        var items = [first]
        var itemsHeight = height
        while current.isOp(",") {
            _ = try next()
            if current.kind == .blockEnd || current.kind == .variableEnd { break }
            items.append(try parseExpression())
            itemsHeight = max(itemsHeight, height)
        }
        return try node(.list(items), over: itemsHeight)
    }

    mutating func parseOr() throws -> JinjaExpr {
        var left = try parseAnd()
        while current.isName("or") {
            _ = try next()
            let leftHeight = height
            let right = try parseAnd()
            left = try node(.or(left, right), over: leftHeight, height)
        }
        return left
    }

    mutating func parseAnd() throws -> JinjaExpr {
        var left = try parseNot()
        while current.isName("and") {
            _ = try next()
            let leftHeight = height
            let right = try parseNot()
            left = try node(.and(left, right), over: leftHeight, height)
        }
        return left
    }

    mutating func parseNot() throws -> JinjaExpr {
        if current.isName("not") {
            _ = try next()
            try enter()
            defer { depth -= 1 }
            let operand = try parseNot()
            return try node(.not(operand), over: height)
        }
        return try parseCompare()
    }

    /// Comparisons chain as in Python: `a < b < c` is `a < b and b < c`.
    mutating func parseCompare() throws -> JinjaExpr {
        var left = try parseMath1()
        var leftHeight = height
        var result: JinjaExpr?
        var resultHeight = 0
        while true {
            let op: String
            if case .op(let o) = current.kind, JinjaParser.comparisons.contains(o) {
                _ = try next()
                op = o
            } else if current.isName("in") {
                _ = try next()
                op = "in"
            } else if current.isName("not"), peek().isName("in") {
                _ = try next()
                _ = try next()
                op = "not in"
            } else {
                if result != nil { height = resultHeight }
                return result ?? left
            }
            let right = try parseMath1()
            let rightHeight = height
            let comparison = try node(JinjaExpr.compare(op, left, right), over: leftHeight, rightHeight)
            if let previous = result {
                result = try node(.and(previous, comparison), over: resultHeight, height)
            } else {
                result = comparison
            }
            resultHeight = height
            (left, leftHeight) = (right, rightHeight)
        }
    }

    mutating func parseMath1() throws -> JinjaExpr {
        var left = try parseConcat()
        while case .op(let op) = current.kind, op == "+" || op == "-" {
            _ = try next()
            let leftHeight = height
            let right = try parseConcat()
            left = try node(.binary(op, left, right), over: leftHeight, height)
        }
        return left
    }

    mutating func parseConcat() throws -> JinjaExpr {
        var parts = [try parseMath2()]
        var partsHeight = height
        while current.isOp("~") {
            _ = try next()
            parts.append(try parseMath2())
            partsHeight = max(partsHeight, height)
        }
        return parts.count == 1 ? parts[0] : try node(.concat(parts), over: partsHeight)
    }

    mutating func parseMath2() throws -> JinjaExpr {
        var left = try parsePow()
        while case .op(let op) = current.kind, JinjaParser.products.contains(op) {
            _ = try next()
            let leftHeight = height
            let right = try parsePow()
            left = try node(.binary(op, left, right), over: leftHeight, height)
        }
        return left
    }

    mutating func parsePow() throws -> JinjaExpr {
        var left = try parseUnary(withFilter: true)
        while current.isOp("**") {
            _ = try next()
            let leftHeight = height
            let right = try parseUnary(withFilter: true)
            left = try node(.binary("**", left, right), over: leftHeight, height)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool) throws -> JinjaExpr {
        var result: JinjaExpr
        if current.isOp("-") || current.isOp("+") {
            let op = try next()
            try enter()
            defer { depth -= 1 }
            let operand = try parseUnary(withFilter: false)
            result = try node(.unary(op.isOp("-") ? "-" : "+", operand), over: height)
        } else {
            result = try parsePostfix(try parsePrimary())
        }
        return withFilter ? try parseFilterExpression(result) : result
    }
}
