import CapstanBasics
import Collections

/// Loops, macros and includes: the statements that render bodies in scopes of their own.
extension JinjaRenderer {
    func renderLoop(_ loop: JinjaForLoop, into out: inout String) throws {
        line = loop.line
        let all = try JinjaRenderer.iterate(try evaluate(loop.iterable))
        var items = all
        try scoped {
            if let condition = loop.condition {
                items = try all.filter { item in
                    try assign(loop.targets, item)
                    return try evaluate(condition).isTruthy
                }
            }
            let count = items.count
            for (index, item) in items.enumerated() {
                try assign(loop.targets, item)
                var info: OrderedDictionary<String, Value> = [
                    "index": .int(index + 1), "index0": .int(index), "first": .bool(index == 0),
                    "last": .bool(index == count - 1), "length": .int(count), "revindex": .int(count - index),
                    "revindex0": .int(count - index - 1), "depth": 1, "depth0": 0,
                ]
                // previtem and nextitem are undefined at the ends, so `default` applies there.
                if index > 0 { info["previtem"] = items[index - 1] }
                if index < count - 1 { info["nextitem"] = items[index + 1] }
                locals["loop"] = .dict(info)
                try render(loop.body, into: &out)
            }
        }
        if items.isEmpty, let otherwise = loop.otherwise { try render(otherwise, into: &out) }
    }

    /// Calls a macro: parameters bound over the current locals, the body rendered to a string; `caller` is
    /// what `caller()` renders in it (a `{% call %}` body), nothing when it is called plainly.
    func callMacro(_ macro: JinjaMacro, _ args: CallArguments, caller: JinjaMacro? = nil) throws -> Value {
        // A macro that calls itself without end would exhaust the stack; Python stops at its recursion limit.
        guard macroDepth < 200 else { throw TemplateError("maximum recursion depth exceeded in macro '\(macro.name)'") }
        macroDepth += 1
        defer { macroDepth -= 1 }
        var text = ""
        let (count, first) = (chunkCount, firstChunk)
        let outerCaller = macros["caller"]
        macros["caller"] = caller
        defer { (chunkCount, firstChunk, macros["caller"]) = (count, first, outerCaller) }
        try scoped {
            if let captured = macro.captured { locals = captured }
            for (index, (name, fallback)) in macro.parameters.enumerated() {
                if index < args.positional.count {
                    locals[name] = args.positional[index]
                } else if let v = args.keywords[name] {
                    locals[name] = v
                } else if let fallback {
                    locals[name] = try evaluate(fallback)
                } else {
                    locals[name] = nil
                }
            }
            try render(macro.body, into: &text)
        }
        return .string(text)
    }

    /// The template `name` from the loader, compiled once per render; nil when the loader has no such template.
    /// Loaded templates are not escaped (Ansible's `escape_backslashes` applies to the top level only).
    func loadTemplate(_ name: String, for purpose: String) throws -> Template? {
        if let compiled = includes[name] { return compiled }
        guard let loader else { throw TemplateError("no template loader to \(purpose) '\(name)'") }
        guard let source = try loader(name) else { return nil }
        let template = try Template(source, options: .ansible, origin: SourceLocation(file: name, line: 1, column: 1))
        includes[name] = template
        return template
    }

    /// The macros a template defines at its top level (what `import` and `from ... import` give).
    func macrosExported(by nameExpr: JinjaExpr) throws -> [String: JinjaMacro] {
        let name = try evaluate(nameExpr).pythonString
        guard let template = try loadTemplate(name, for: "import") else {
            throw TemplateError("template '\(name)' not found")
        }
        var exported: [String: JinjaMacro] = [:]
        for node in template.nodes { if case .macro(let macro) = node { exported[macro.name] = macro } }
        return exported
    }

    /// Renders the included template `name` here. Errors inside it are located in it (its name as the file,
    /// unless the loader knows its path); a chain deeper than `TemplateLimits.maxIncludeDepth` fails, which
    /// stops a template that includes itself.
    func include(_ nameExpr: JinjaExpr, ignoreMissing: Bool, into out: inout String) throws {
        let name = try evaluate(nameExpr).pythonString
        guard includeDepth < TemplateLimits.maxIncludeDepth else {
            throw TemplateError(
                "too many nested includes: more than \(TemplateLimits.maxIncludeDepth) levels including "
                    + "'\(name)' (a template including itself?)", line: line)
        }
        guard let template = try loadTemplate(name, for: "include") else {
            if ignoreMissing { return }
            throw TemplateError("template '\(name)' not found")
        }
        let (outerLine, outerOrigin) = (line, origin)
        includeDepth += 1
        origin = template.origin
        defer {
            includeDepth -= 1
            (line, origin) = (outerLine, outerOrigin)
        }
        do {
            try renderTemplate(template, into: &out)
        } catch let error as TemplateError {
            throw error.located(line: line, origin: template.origin)
        }
    }
}
