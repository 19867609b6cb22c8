import CapstanBasics
import Collections

/// The value of an expression that may be undefined: Ansible's undefined is chainable (`a.b.c` of an
/// undefined `a` stays undefined), and only fails when used, unless `default` or `is defined` absorb it.
enum JinjaResolved {
    case value(Value)
    /// The message that using it would raise, e.g. `'foo' is undefined`.
    case undefined(String)
    /// Plain Jinja2's undefined, from an inline `if` without `else` that is false: it prints as nothing
    /// and `default` lets it through, but it cannot be a task argument's value.
    case empty
}

/// Runs a compiled template's nodes against a variable scope. One renderer serves one render call.
final class JinjaRenderer {
    let environment: TemplateEnvironment
    let scope: VariableScope
    /// Where the template being rendered starts; an included template's while it renders.
    var origin: SourceLocation?
    /// Variables set by `{% set %}` and loop targets; they hide the caller's scope.
    var locals: [String: Value] = [:]
    var line = 1
    /// How many pieces of output were written, and the first one's value: a render that writes exactly one
    /// non-string value returns that value natively.
    var chunkCount = 0
    var firstChunk: Value = .null
    /// True when the first piece of output was an inline `if`'s empty undefined.
    var emptyChunk = false
    /// Namespaces written with `set ns.attr` so far; their changes survive the end of a loop.
    var namespaceWrites: Set<String> = []
    /// Macros defined so far in this render, and how deeply macro calls are nested now.
    var macros: [String: JinjaMacro] = [:]
    /// `{% import 'file' as name %}`: each name's macros, by macro name.
    var importedMacros: [String: [String: JinjaMacro]] = [:]
    var macroDepth = 0
    /// Conditionals template string literals that hold templates (`'{{ x }}' == 'v'`), as Ansible 2.19
    /// still does for compatibility.
    var templatesStringLiterals = false
    /// Included templates compiled so far in this render, by name.
    var includes: [String: Template] = [:]
    /// How deeply rendering and evaluation are nested now, and how many includes are open: both bounded,
    /// so that a template cannot exhaust the stack (see `TemplateLimits`).
    var depth = 0
    var includeDepth = 0
    /// Template inheritance for the template rendering now: each block name's versions, most derived first;
    /// the parent an `{% extends %}` named, rendered once the template's own top level is done; the blocks
    /// being rendered, innermost last, for `super()`.
    var blockChains: [String: [JinjaBlock]] = [:]
    var parentTemplate: Template?
    var openBlocks: [(name: String, index: Int)] = []
    /// The locals saved by each open `scoped` body, outermost first: the first are the template's own
    /// variables, which a block that is not `scoped` sees.
    var scopeSaves: [[String: Value]] = []
    /// A `{% call %}` body on its way to the macro its call names (see `callBlock`).
    var pendingCaller: JinjaMacro?

    /// Finds included templates; the environment's loader unless the caller gave one for this render.
    let loader: ((String) throws -> String?)?

    init(
        environment: TemplateEnvironment, scope: VariableScope, origin: SourceLocation?,
        loader: ((String) throws -> String?)? = nil
    ) {
        self.environment = environment
        self.scope = scope
        self.origin = origin
        self.loader = loader ?? environment.loader
    }

    /// Enters one more level of rendering or evaluation; pair with `depth -= 1`.
    func enter() throws {
        depth += 1
        guard depth <= TemplateLimits.maxRenderDepth else {
            throw TemplateError(
                "template nested too deeply: more than \(TemplateLimits.maxRenderDepth) levels of evaluation, "
                    + "blocks, macro calls and includes (maximum recursion depth exceeded)", line: line)
        }
    }

    func render(_ nodes: [JinjaNode], into out: inout String) throws {
        try enter()
        defer { depth -= 1 }
        for node in nodes {
            switch node {
            case .text(let s):
                try emit(.string(s), into: &out)
            case .output(let e, let l):
                line = l
                let resolved = try resolve(e)
                if case .empty = resolved {
                    try emit(.string(""), into: &out)
                    emptyChunk = chunkCount == 1
                } else {
                    try emit(try defined(resolved), into: &out)
                }
            case .ifChain(let branches, let otherwise, let l):
                line = l
                var taken = false
                for (condition, body) in branches where try evaluate(condition).isTruthy {
                    try render(body, into: &out)
                    taken = true
                    break
                }
                if !taken, let otherwise { try render(otherwise, into: &out) }
            case .forLoop(let loop):
                try renderLoop(loop, into: &out)
            case .set(let targets, let e, let l):
                line = l
                try assign(targets, try evaluate(e))
            case .setAttribute(let target, let attribute, let e, let l):
                line = l
                guard case .dict(var namespace) = try locals[target] ?? scope.lookup(target) else {
                    throw TemplateError("cannot assign attribute on non-namespace object")
                }
                namespace[attribute] = try evaluate(e)
                locals[target] = .dict(namespace)
                namespaceWrites.insert(target)
            case .macro(let macro):
                macros[macro.name] = macro
            case .with(let assignments, let body, let l):
                line = l
                let values = try assignments.map { ($0.0, try evaluate($0.1)) }
                try scoped {
                    for (name, value) in values { locals[name] = value }
                    try render(body, into: &out)
                }
            case .include(let nameExpr, let ignoreMissing, let l):
                line = l
                try include(nameExpr, ignoreMissing: ignoreMissing, into: &out)
            case .importAs(let file, let name, let l):
                line = l
                importedMacros[name] = try macrosExported(by: file)
            case .fromImport(let file, let names, let l):
                line = l
                let exported = try macrosExported(by: file)
                for (name, alias) in names {
                    guard let macro = exported[name] else {
                        throw TemplateError(
                            "the template \(PythonString.repr(try evaluate(file).pythonString)) (imported on line \(l)) does not"
                                + " export the requested name \(PythonString.repr(name))")
                    }
                    macros[alias] = macro
                    // The imported macro may call the file's other macros.
                    for (other, sibling) in exported where macros[other] == nil { macros[other] = sibling }
                }
            case .block(let block):
                line = block.line
                try renderBlock(named: block.name, fallback: block, into: &out)
            case .extends(let parent, let l):
                line = l
                try extend(with: parent)
            case .filterBlock(let chain, let body, let l):
                line = l
                try emit(try filterBlock(chain, body: body), into: &out)
            case .callBlock(let caller, let call, let l):
                line = l
                try emit(try callBlock(caller: caller, call: call), into: &out)
            case .setBlock(let name, let body, let l):
                line = l
                var text = ""
                let (count, first) = (chunkCount, firstChunk)
                try render(body, into: &text)
                (chunkCount, firstChunk) = (count, first)
                locals[name] = .string(text)
            }
        }
    }

    /// Writes one piece of output; None writes nothing and does not count, as in Ansible 2.19. The output
    /// is bounded by `TemplateLimits.maxStringBytes`.
    func emit(_ v: Value, into out: inout String) throws {
        if v == .null { return }
        chunkCount += 1
        if chunkCount == 1 { firstChunk = v }
        let text: String
        switch v {
        case .string(let s): text = s
        default:
            try TemplateLimits.checkWritable(v)
            text = v.pythonString
        }
        try TemplateLimits.checkString(bytes: out.utf8.count + text.utf8.count, "rendered output")
        out += text
    }

    /// Runs `body` with locals restored afterwards, keeping namespace changes.
    func scoped(_ body: () throws -> Void) rethrows {
        let saved = locals
        scopeSaves.append(saved)
        defer {
            scopeSaves.removeLast()
            let inner = locals
            locals = saved
            for name in namespaceWrites where saved[name] != nil { locals[name] = inner[name] }
        }
        try body()
    }

    func assign(_ targets: [String], _ value: Value) throws {
        if targets.count == 1 {
            locals[targets[0]] = value
            return
        }
        let items = try JinjaRenderer.iterate(value)
        guard items.count == targets.count else {
            let relation = items.count > targets.count ? "too many values to unpack" : "not enough values to unpack"
            throw TemplateError("\(relation) (expected \(targets.count), got \(items.count))")
        }
        for (t, v) in zip(targets, items) { locals[t] = v }
    }

    /// What Python's `for x in value` walks: list items, mapping keys, string characters.
    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let l): return l
        case .dict(let d): return d.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        default: throw TemplateError("'\(value.pythonTypeName)' object is not iterable")
        }
    }

    /// What using an inline `if`'s empty undefined as a value raises, in Ansible's words.
    static let emptyMessage = "Type 'Undefined' is unsupported for variable storage."
}
