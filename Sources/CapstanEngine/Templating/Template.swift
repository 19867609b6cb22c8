/// A compiled template: parse once, render many times against different variables.
public struct Template: @unchecked Sendable {
    /// The template text as given.
    public let source: String
    /// The options it was compiled with.
    public let options: TemplateOptions
    /// Where the template text starts in its input file, for error locations.
    public internal(set) var origin: SourceLocation?
    let nodes: [JinjaNode]

    /// Compiles `source`. Throws `TemplateError` with the line and column of a syntax error.
    public init(_ source: String, options: TemplateOptions = .ansible, origin: SourceLocation? = nil) throws {
        self.source = source
        self.options = options
        self.origin = origin
        do {
            var parser = JinjaParser(tokens: try JinjaLexer.tokenize(source, options: options))
            nodes = try parser.parseTemplate()
        } catch let error as TemplateError {
            throw error.located(line: nil, origin: origin)
        }
    }

    /// True when the template is exactly one `{{ expression }}`, whose value `renderValue` returns unconverted.
    public var isSingleExpression: Bool {
        if nodes.count == 1, case .output = nodes[0] { return true }
        return false
    }

    /// Renders to text; values in `{{ }}` appear as Python's `str()` shows them.
    public func render(_ scope: VariableScope, environment: TemplateEnvironment) throws -> String {
        let renderer = JinjaRenderer(environment: environment, scope: scope, origin: origin)
        var out = ""
        do {
            try renderer.render(nodes, into: &out)
        } catch let error as TemplateError {
            throw error.located(line: renderer.line, origin: origin)
        }
        return out
    }

    /// Renders to a value: the expression's own value (list, int, dict, ...) when the template is exactly one
    /// `{{ expression }}`, as Ansible does for task arguments; otherwise the rendered text as a string.
    public func renderValue(_ scope: VariableScope, environment: TemplateEnvironment) throws -> Value {
        guard nodes.count == 1, case .output(let expr, let line) = nodes[0] else {
            return .string(try render(scope, environment: environment))
        }
        let renderer = JinjaRenderer(environment: environment, scope: scope, origin: origin)
        renderer.line = line
        do {
            return try renderer.evaluate(expr)
        } catch let error as TemplateError {
            throw error.located(line: renderer.line, origin: origin)
        }
    }
}
