import CapstanBasics

/// Bare expressions and conditionals: what `when:`, `failed_when:`, `changed_when:` and `until:` hold.
extension Templar {
    /// Evaluates a bare expression (`x | length > 1`) to its value, as `{{ expression }}` would.
    /// Error columns refer to the expression text itself.
    public func evaluate(_ expression: String, scope: VariableScope, origin: SourceLocation? = nil) throws -> Value {
        try evaluate(expression, scope: scope, origin: origin, options: defaultOptions, templatingStringLiterals: false)
    }

    func evaluate(
        _ expression: String, scope: VariableScope, origin: SourceLocation?, options: TemplateOptions,
        templatingStringLiterals: Bool
    ) throws -> Value {
        do {
            return try compile("{{ " + expression + " }}", options: options, origin: origin)
                .renderValue(scope, environment: environment, templatingStringLiterals: templatingStringLiterals)
        } catch var error as TemplateError {
            if error.line == 1, let column = error.column { error.column = max(1, column - 3) }
            throw error
        }
    }

    /// Ansible 2.19's conditional: the expression (or, with a warning in Ansible, a template) must produce a
    /// boolean; anything else is an error rather than being judged by truthiness. An expression keeps Jinja's
    /// backslash escapes (Ansible does not apply `escape_backslashes` to it, as conditionals were once `{% if %}`
    /// tags); a conditional written as one `{{ expression }}` is a template from YAML, which Ansible escapes.
    public func condition(_ expression: String, scope: VariableScope, origin: SourceLocation? = nil) throws -> Bool {
        let trimmed = JinjaPyStr.strip(expression, chars: nil)
        let result: Value
        // A conditional that is exactly one `{{ expression }}` is rendered (Ansible warns); anything else is an
        // expression, where template delimiters are a syntax error.
        // (Escaping changes no token's extent, so the escaped compile answers for both.)
        if Templar.isTemplated(trimmed), try compile(trimmed, options: .ansibleYAML, origin: origin).isSingleExpression
        {
            result = try renderValue(trimmed, scope: scope, options: .ansibleYAML, origin: origin)
        } else {
            do {
                result = try evaluate(
                    trimmed, scope: scope, origin: origin, options: .ansible, templatingStringLiterals: true)
            } catch var error as TemplateError where error.column != nil && Templar.isTemplated(trimmed) {
                error.message =
                    "Syntax error in expression. Template delimiters are not supported in expressions: "
                    + error.message
                throw error
            }
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
