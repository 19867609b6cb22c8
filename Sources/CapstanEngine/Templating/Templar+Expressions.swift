/// Bare expressions and conditionals: what `when:`, `failed_when:`, `changed_when:` and `until:` hold.
extension Templar {
    /// Evaluates a bare expression (`x | length > 1`) to its value, as `{{ expression }}` would.
    /// Error columns refer to the expression text itself.
    public func evaluate(_ expression: String, scope: VariableScope, origin: SourceLocation? = nil) throws -> Value {
        do {
            return try compile("{{ " + expression + " }}", options: .ansible, origin: origin)
                .renderValue(scope, environment: environment)
        } catch var error as TemplateError {
            if error.line == 1, let column = error.column { error.column = max(1, column - 3) }
            throw error
        }
    }

    /// Ansible 2.19's conditional: the expression (or, with a warning in Ansible, a template) must produce a
    /// boolean; anything else is an error rather than being judged by truthiness.
    public func condition(_ expression: String, scope: VariableScope, origin: SourceLocation? = nil) throws -> Bool {
        let trimmed = JinjaPyStr.strip(expression, chars: nil)
        let result: Value
        if Templar.isTemplated(trimmed) && !trimmed.hasPrefix("'") && !trimmed.hasPrefix("\"") {
            result = try renderValue(trimmed, scope: scope, origin: origin)
        } else {
            result = try evaluate(trimmed, scope: scope, origin: origin)
        }
        if case .bool(let b) = result { return b }
        if case .string(let s) = result, Templar.isTemplated(s) {
            return try condition(s, scope: scope, origin: origin)
        }
        let place = origin.map { "\($0)" } ?? "<unknown>"
        throw TemplateError(
            "Conditional result (\(result.isTruthy ? "True" : "False")) was derived from value of type "
                + "'\(result.pythonTypeName)' at '\(place)'. Conditionals must have a boolean result.",
            origin: origin)
    }
}
