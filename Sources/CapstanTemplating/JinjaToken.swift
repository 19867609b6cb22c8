import CapstanBasics

/// One lexical token of a template: a piece of literal text, a tag delimiter, or a piece of an expression.
struct JinjaToken: Equatable {
    enum Kind: Equatable {
        /// Literal template text between tags, after whitespace control.
        case data(String)
        /// `{{` and `}}`.
        case variableBegin, variableEnd
        /// `{%` and `%}`.
        case blockBegin, blockEnd
        /// `{% raw %}` body, copied verbatim.
        case raw(String)
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// Punctuation and operators: `+`, `//`, `==`, `(`, `|`, ...
        case op(String)
        case end
    }

    var kind: Kind
    /// 1-based line and column of the token's first character in the template.
    var line: Int
    var column: Int

    /// A short form for error messages, like Jinja2's `unexpected 'x'`.
    var display: String {
        switch kind {
        case .data: return "template data"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case .raw: return "raw block"
        case .name(let n): return "'\(n)'"
        case .string(let s): return PythonString.repr(s)
        case .integer(let i): return "'\(i)'"
        case .float(let d): return "'\(PythonFloat.repr(d))'"
        case .op(let o): return "'\(o)'"
        case .end: return "end of template"
        }
    }

    func isName(_ n: String) -> Bool { kind == .name(n) }
    func isOp(_ o: String) -> Bool { kind == .op(o) }
}
