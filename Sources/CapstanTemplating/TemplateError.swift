import CapstanBasics

/// An error compiling or rendering a template: a syntax error, an undefined variable, a filter that
/// cannot take its input. It names the place in the template (1-based line and column) and, when the
/// caller said where the template came from, that origin too (the task or template file).
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in Jinja2's and Ansible's words where users know them (`'foo' is undefined`).
    public var message: String
    /// 1-based line inside the template text, when known.
    public var line: Int?
    /// 1-based column inside the template text, when known (syntax errors know it, rendering errors do not).
    public var column: Int?
    /// Where the template text itself starts: the task argument's or template file's location.
    public var origin: SourceLocation?
    /// True when the error is an undefined variable or attribute, which `default` and `is defined` absorb.
    public var isUndefined: Bool

    /// An error with what is known of its place; the renderer fills in the line and origin when missing.
    public init(
        _ message: String, line: Int? = nil, column: Int? = nil, origin: SourceLocation? = nil,
        isUndefined: Bool = false
    ) {
        self.message = message
        self.line = line
        self.column = column
        self.origin = origin
        self.isUndefined = isUndefined
    }

    /// The location of the error in the input file: the origin shifted by the template line when both are known.
    public var location: SourceLocation? {
        guard var loc = origin else { return nil }
        if let line, line > 1 {
            loc.line += line - 1
            loc.column = column ?? 1
        } else if let column {
            loc.column += column - 1
        }
        return loc
    }

    /// The same error as an `InputError`, for callers that report all input problems one way; nil without an origin.
    public var inputError: InputError? {
        location.map { InputError(message, at: $0) }
    }

    /// `FILE:LINE:COL: message (template line N, column M)`.
    public var description: String {
        var prefix = ""
        if let location { prefix = "\(location): " }
        var suffix = ""
        if let line { suffix = " (template line \(line)" + (column.map { ", column \($0)" } ?? "") + ")" }
        return prefix + message + suffix
    }

    /// Fills in the template line and origin if the thrower did not know them.
    func located(line: Int?, origin: SourceLocation?) -> TemplateError {
        var e = self
        if e.line == nil { e.line = line }
        if e.origin == nil { e.origin = origin }
        return e
    }
}
