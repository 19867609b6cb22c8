/// The tags of template inheritance and of bodies handed to something else: `block`, `extends`, `filter`
/// and `call`.
extension JinjaParser {
    /// `{% block name [scoped] [required] %}body{% endblock [name] %}`.
    mutating func parseBlock(line: Int) throws -> JinjaNode {
        let nameToken = current
        let name = try expectName()
        guard blocks[name] == nil else { throw fail("block '\(name)' defined twice", at: nameToken) }
        var scoped = false
        var required = false
        while case .name(let modifier) = current.kind, modifier == "scoped" || modifier == "required" {
            if modifier == "scoped" { scoped = true } else { required = true }
            _ = try next()
        }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endblock"])
        if required, !body.allSatisfy(JinjaParser.isBlank) {
            throw fail("Required blocks can only contain comments or whitespace", at: nameToken)
        }
        if current.isName(name) { _ = try next() }
        try expectBlockEnd()
        let block = JinjaBlock(name: name, body: body, scoped: scoped, required: required, line: line)
        blocks[name] = block
        return .block(block)
    }

    /// `{% extends expression %}`.
    mutating func parseExtends(line: Int) throws -> JinjaNode {
        let parent = try parseExpression()
        try expectBlockEnd()
        return .extends(parent, line: line)
    }

    /// `{% filter name(args) | other %}body{% endfilter %}`.
    mutating func parseFilterBlock(line: Int) throws -> JinjaNode {
        let name = try parseDottedName()
        var args = JinjaArguments()
        if current.isOp("(") {
            _ = try next()
            args = try parseCallArguments()
        }
        let first = JinjaExpr.filter(.name(JinjaRenderer.filterBlockInput), name: name, args: args, line: line)
        let chain = try parseFilterExpression(first)
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endfilter"])
        try expectBlockEnd()
        return .filterBlock(chain, body: body, line: line)
    }

    /// `{% call(params) macro(args) %}body{% endcall %}`.
    mutating func parseCallBlock(line: Int) throws -> JinjaNode {
        var parameters: [(String, JinjaExpr?)] = []
        if current.isOp("(") {
            _ = try next()
            parameters = try parseParameters()
        }
        let callToken = current
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", at: callToken) }
        try expectBlockEnd()
        let (body, _) = try parseBody(until: ["endcall"])
        try expectBlockEnd()
        let caller = JinjaMacro(name: "caller", parameters: parameters, body: body)
        return .callBlock(caller: caller, call: call, line: line)
    }

    private static func isBlank(_ node: JinjaNode) -> Bool {
        if case .text(let t) = node { return t.allSatisfy(\.isWhitespace) }
        return false
    }
}
