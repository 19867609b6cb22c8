import CapstanBasics

/// An expression as parsed from `{{ }}` or a tag, ready to evaluate many times.
indirect enum JinjaExpr {
    case literal(Value)
    case name(String)
    case list([JinjaExpr])
    case dict([(JinjaExpr, JinjaExpr)])
    /// `a.b`: attribute first, then item, as Jinja2's `getattr` does.
    case attribute(JinjaExpr, String)
    /// `a[b]`: item first, then attribute.
    case item(JinjaExpr, JinjaExpr)
    case slice(JinjaExpr, start: JinjaExpr?, stop: JinjaExpr?, step: JinjaExpr?)
    case unary(String, JinjaExpr)
    case binary(String, JinjaExpr, JinjaExpr)
    case and(JinjaExpr, JinjaExpr)
    case or(JinjaExpr, JinjaExpr)
    case not(JinjaExpr)
    /// `a ~ b ~ c`: string concatenation of all parts.
    case concat([JinjaExpr])
    case compare(String, JinjaExpr, JinjaExpr)
    case conditional(condition: JinjaExpr, then: JinjaExpr, else: JinjaExpr?)
    case test(JinjaExpr, name: String, args: JinjaArguments, negated: Bool)
    case filter(JinjaExpr, name: String, args: JinjaArguments, line: Int)
    /// A call: `range(3)`, `lookup('env', 'HOME')`, `s.split(',')`.
    case call(JinjaExpr, args: JinjaArguments)
}

/// Positional and keyword arguments of a call, filter or test.
struct JinjaArguments {
    var positional: [JinjaExpr] = []
    var keywords: [(String, JinjaExpr)] = []
}

/// A statement or piece of output in a compiled template.
indirect enum JinjaNode {
    case text(String)
    case output(JinjaExpr, line: Int)
    case ifChain([(JinjaExpr, [JinjaNode])], otherwise: [JinjaNode]?, line: Int)
    case forLoop(JinjaForLoop)
    case set(targets: [String], JinjaExpr, line: Int)
    /// `{% set ns.attr = value %}`: writes into a `namespace()`, which outlives the loop it is set in.
    case setAttribute(target: String, attribute: String, JinjaExpr, line: Int)
    /// `{% set x %}...{% endset %}`: the rendered body becomes a string variable.
    case setBlock(name: String, body: [JinjaNode], line: Int)
    /// `{% macro name(params) %}...{% endmacro %}`: defines a callable that renders its body.
    case macro(JinjaMacro)
    /// `{% with a = 1 %}...{% endwith %}`: variables visible only inside the body.
    case with(assignments: [(String, JinjaExpr)], body: [JinjaNode], line: Int)
    /// `{% include 'file' %}`: renders another template, found through the environment's loader, here.
    case include(JinjaExpr, ignoreMissing: Bool, line: Int)
    /// `{% import 'file' as name %}`: the file's macros, called as `name.macro(...)`.
    case importAs(JinjaExpr, name: String, line: Int)
    /// `{% from 'file' import a, b as c %}`: the named macros of the file, under their (new) names.
    case fromImport(JinjaExpr, names: [(name: String, alias: String)], line: Int)
    /// `{% block name %}...{% endblock %}`: renders the most derived template's version of the block.
    case block(JinjaBlock)
    /// `{% extends 'base' %}`: the template renders its parent, with its own blocks in place of the parent's.
    case extends(JinjaExpr, line: Int)
    /// `{% filter name(args) | other %}...{% endfilter %}`: the rendered body passed through the filters; the
    /// expression's subject is `.name(JinjaRenderer.filterBlockInput)`.
    case filterBlock(JinjaExpr, body: [JinjaNode], line: Int)
    /// `{% call(params) macro(args) %}...{% endcall %}`: calls the macro with the body as its `caller()`.
    case callBlock(caller: JinjaMacro, call: JinjaExpr, line: Int)
}

/// A named block: rendered where it stands, or replaced by a child template's block of the same name.
struct JinjaBlock {
    var name: String
    var body: [JinjaNode]
    /// `scoped`: the body sees the variables of the loop it stands in, not only the template's.
    var scoped: Bool
    /// `required`: a child template must override it.
    var required: Bool
    var line: Int
}

/// A macro: parameters with optional defaults, and the body it renders when called.
struct JinjaMacro {
    var name: String
    var parameters: [(String, JinjaExpr?)]
    var body: [JinjaNode]
    /// A `{% call %}` body's variables where it stands, which `caller()` renders with.
    var captured: [String: Value]? = nil
}

/// `{% for targets in iterable [if condition] %}body{% else %}otherwise{% endfor %}`.
struct JinjaForLoop {
    var targets: [String]
    var iterable: JinjaExpr
    var condition: JinjaExpr?
    var body: [JinjaNode]
    var otherwise: [JinjaNode]?
    var line: Int
}
