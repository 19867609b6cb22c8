import CapstanBasics
import Foundation

/// A compiled template: parse once, render many times against different variables.
public struct Template: @unchecked Sendable {
    /// The template text as given.
    public let source: String
    /// The options it was compiled with.
    public let options: TemplateOptions
    /// Where the template text starts in its input file, for error locations.
    public internal(set) var origin: SourceLocation?
    let nodes: [JinjaNode]
    /// The template's `{% block %}`s by name, for templates that extend it.
    let blocks: [String: JinjaBlock]

    /// Compiles `source`. Throws `TemplateError` with the line and column of a syntax error.
    public init(_ source: String, options: TemplateOptions = .ansible, origin: SourceLocation? = nil) throws {
        self.source = source
        self.options = options
        self.origin = origin
        do {
            var parser = try JinjaParser(source, options: options)
            nodes = try parser.parseTemplate()
            blocks = parser.blocks
        } catch let error as TemplateError {
            throw error.located(line: nil, origin: origin)
        }
    }

    /// True when the template is exactly one `{{ expression }}`, whose value `renderValue` returns unconverted.
    public var isSingleExpression: Bool {
        if nodes.count == 1, case .output = nodes[0] { return true }
        return false
    }

    /// Renders to text; values in `{{ }}` appear as Python's `str()` shows them, None as nothing.
    /// `loader` finds `{% include %}`d templates for this render, instead of the environment's loader.
    public func render(
        _ scope: VariableScope, environment: TemplateEnvironment, loader: ((String) throws -> String?)? = nil
    ) throws -> String {
        let (text, _) = try run(scope, environment: environment, loader: loader)
        return text
    }

    /// Renders to a value as Ansible does for task arguments: when the output is a single piece that is not
    /// a string (`{{ ports }}`, or `{% if x %}{{ n }}{% endif %}`), that value itself; no output at all is
    /// None; anything else is the rendered text.
    public func renderValue(_ scope: VariableScope, environment: TemplateEnvironment) throws -> Value {
        try renderValue(scope, environment: environment, templatingStringLiterals: false)
    }

    func renderValue(_ scope: VariableScope, environment: TemplateEnvironment, templatingStringLiterals: Bool) throws
        -> Value
    {
        let (text, renderer) = try run(
            scope, environment: environment, templatingStringLiterals: templatingStringLiterals)
        if renderer.chunkCount == 0 { return .null }
        if renderer.chunkCount == 1, renderer.emptyChunk {
            throw TemplateError(JinjaRenderer.emptyMessage, origin: origin, isUndefined: true)
        }
        if renderer.chunkCount == 1, renderer.firstChunk.stringValue == nil { return renderer.firstChunk }
        return .string(text)
    }

    /// Renders a template file as ansible-core 2.19's template module and `template` lookup do: when
    /// the only output is one value that is not a string (`{{ port }}` and a line end), that value's
    /// text without the line ends the source ends with (None, or no output at all: nothing); else the
    /// text.
    func renderFileText(
        _ scope: VariableScope, environment: TemplateEnvironment, loader: ((String) throws -> String?)?
    ) throws -> String {
        let (text, renderer) = try run(scope, environment: environment, loader: loader)
        // Output nodes that gave nothing (`{{ none }}`, a false `if`) are None, whose text is empty.
        if renderer.chunkCount == 0, !nodes.isEmpty { return "" }
        if renderer.chunkCount == 1, renderer.firstChunk.stringValue == nil {
            return renderer.firstChunk == .null ? "" : renderer.firstChunk.pythonString
        }
        return text
    }

    private func run(
        _ scope: VariableScope, environment: TemplateEnvironment, loader: ((String) throws -> String?)? = nil,
        templatingStringLiterals: Bool = false
    ) throws -> (String, JinjaRenderer) {
        let renderer = JinjaRenderer(environment: environment, scope: scope, origin: origin, loader: loader)
        renderer.templatesStringLiterals = templatingStringLiterals
        var out = ""
        do {
            try renderer.renderTemplate(self, into: &out)
        } catch let error as TemplateError {
            throw error.located(line: renderer.line, origin: origin)
        }
        if options.preserveTrailingNewlines {
            let wanted = Template.trailingNewlines(source)
            let have = Template.trailingNewlines(out)
            if wanted > have { out += String(repeating: "\n", count: wanted - have) }
        }
        return (out, renderer)
    }

    /// How many line breaks end `s`, a "\r\n" counting as one (counted in place: a copy of a large
    /// template with its line ends normalised would cost its size again).
    private static func trailingNewlines(_ s: String) -> Int {
        var n = 0
        var afterNewline = false
        for b in s.utf8.reversed() {
            if b == UInt8(ascii: "\n") {
                n += 1
                afterNewline = true
            } else if b == UInt8(ascii: "\r"), afterNewline {
                afterNewline = false
            } else {
                break
            }
        }
        return n
    }
}
