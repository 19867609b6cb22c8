import CapstanBasics

/// Template inheritance (`extends`, `block`, `super()`) and the tags that hand a rendered body to something
/// else (`filter`, `call` with `caller()`), as jinja2 renders them.
extension JinjaRenderer {
    /// The local a filter block's rendered body is bound to while its filters run; a space keeps it apart
    /// from every name a template can write.
    static let filterBlockInput = " filter block body"

    /// Renders `template` as a whole: its top level, then the parent its `{% extends %}` named (and that one's
    /// parent...), each block taken from the most derived template that defines it. Blocks and parents belong
    /// to this template alone: an included template has its own. The chain of parents is bounded like includes.
    func renderTemplate(_ template: Template, into out: inout String) throws {
        let saved = (blockChains, parentTemplate, openBlocks)
        (blockChains, parentTemplate, openBlocks) = ([:], nil, [])
        defer { (blockChains, parentTemplate, openBlocks) = saved }
        register(template)
        try renderTopLevel(template.nodes, into: &out)
        var levels = 0
        while let parent = parentTemplate {
            levels += 1
            guard levels <= TemplateLimits.maxIncludeDepth else {
                throw TemplateError(
                    "too many levels of extends: more than \(TemplateLimits.maxIncludeDepth) (a template extending "
                        + "itself?)", line: line)
            }
            parentTemplate = nil
            register(parent)
            let (outerLine, outerOrigin) = (line, origin)
            origin = parent.origin
            defer { (line, origin) = (outerLine, outerOrigin) }
            do {
                try renderTopLevel(parent.nodes, into: &out)
            } catch let error as TemplateError {
                throw error.located(line: line, origin: parent.origin)
            }
        }
    }

    private func register(_ template: Template) {
        for (name, block) in template.blocks { blockChains[name, default: []].append(block) }
    }

    /// A template's top level. Once it has named a parent, its output is the parent's: its text, `{{ }}` and
    /// blocks are skipped, and other statements run for their variables only, as in jinja2.
    private func renderTopLevel(_ nodes: [JinjaNode], into out: inout String) throws {
        guard nodes.contains(where: { if case .extends = $0 { return true } else { return false } }) else {
            return try render(nodes, into: &out)
        }
        for node in nodes {
            guard parentTemplate != nil else {
                try render([node], into: &out)
                continue
            }
            switch node {
            case .text, .output, .block: continue
            default: _ = try renderDetached([node])
            }
        }
    }

    /// `{% extends name %}`: loads the parent, which renders once this template's top level is done.
    func extend(with parentName: JinjaExpr) throws {
        guard parentTemplate == nil else { throw TemplateError("extended multiple times") }
        let name = try evaluate(parentName).pythonString
        guard let parent = try loadTemplate(name, for: "extend") else {
            throw TemplateError("template '\(name)' not found")
        }
        parentTemplate = parent
    }

    /// Renders the block `name` where it stands: the most derived version, else the one written here.
    func renderBlock(named name: String, fallback: JinjaBlock, into out: inout String) throws {
        try renderVersion(blockChains[name] ?? [fallback], index: 0, into: &out)
    }

    private func renderVersion(_ chain: [JinjaBlock], index: Int, into out: inout String) throws {
        let block = chain[index]
        if block.required { throw TemplateError("Required block '\(block.name)' not found") }
        openBlocks.append((block.name, index))
        defer { openBlocks.removeLast() }
        // A block that is not scoped sees the template's variables, not those of the loop it stands in.
        let templateVariables = scopeSaves.first ?? locals
        try scoped {
            if !block.scoped { locals = templateVariables }
            try render(block.body, into: &out)
        }
    }

    /// `super()` inside a block: the next less derived version of the block, rendered.
    func callSuper() throws -> Value {
        guard let open = openBlocks.last else { throw TemplateError("'super' is undefined", isUndefined: true) }
        let chain = blockChains[open.name] ?? []
        guard open.index + 1 < chain.count else {
            throw TemplateError("there is no parent block called '\(open.name)'.")
        }
        var text = ""
        let (count, first, empty) = (chunkCount, firstChunk, emptyChunk)
        defer { (chunkCount, firstChunk, emptyChunk) = (count, first, empty) }
        try renderVersion(chain, index: open.index + 1, into: &text)
        return .string(text)
    }

    /// `{% filter %}`: the body rendered to text, then passed through the filter chain.
    func filterBlock(_ chain: JinjaExpr, body: [JinjaNode]) throws -> Value {
        let text = try renderDetached(body)
        let outer = locals[JinjaRenderer.filterBlockInput]
        locals[JinjaRenderer.filterBlockInput] = .string(text)
        defer { locals[JinjaRenderer.filterBlockInput] = outer }
        return try evaluate(chain)
    }

    /// `{% call %}`: the macro call, with `caller()` rendering the body among the variables of the call's place.
    /// The body goes to the macro the call names, not to macros called in its arguments or inside it.
    func callBlock(caller: JinjaMacro, call: JinjaExpr) throws -> Value {
        var macro = caller
        macro.captured = locals
        pendingCaller = macro
        defer { pendingCaller = nil }
        return try evaluate(call)
    }

    /// Renders `nodes` to a string that is not part of the output, so it does not count as a piece of it.
    func renderDetached(_ nodes: [JinjaNode]) throws -> String {
        var text = ""
        let (count, first, empty) = (chunkCount, firstChunk, emptyChunk)
        defer { (chunkCount, firstChunk, emptyChunk) = (count, first, empty) }
        try render(nodes, into: &text)
        return text
    }
}
