import CapstanBasics
import CapstanInventory
import Collections

/// Expression evaluation with Python's semantics and Ansible's chainable undefined.
extension JinjaRenderer {
    /// Evaluates an expression whose value must be defined.
    func evaluate(_ e: JinjaExpr) throws -> Value {
        try defined(try resolve(e))
    }

    /// The value of a resolved expression, or the error that using an undefined one raises.
    func defined(_ r: JinjaResolved) throws -> Value {
        switch r {
        case .value(let v): return v
        case .undefined(let message): throw TemplateError(message, line: line, origin: origin, isUndefined: true)
        case .empty: throw TemplateError(JinjaRenderer.emptyMessage, line: line, origin: origin, isUndefined: true)
        }
    }

    /// Evaluates an expression, letting an undefined result through.
    func resolve(_ e: JinjaExpr) throws -> JinjaResolved {
        try enter()
        defer { depth -= 1 }
        switch e {
        case .literal(.string(let s)) where templatesStringLiterals && Templar.isTemplated(s):
            return .value(try Template(s, origin: origin).renderValue(scope, environment: environment))
        case .literal(let v): return .value(v)
        case .name(let n):
            if let v = locals[n] { return .value(v) }
            if let v = try scope.lookup(n) { return .value(v) }
            return .undefined("'\(n)' is undefined")
        case .attribute(let base, let name):
            let resolvedBase = try resolve(base)
            guard case .value(let b) = resolvedBase else { return resolvedBase }
            return withGroupHint(JinjaAccess.attribute(b, name), base: base, key: name, value: b)
        case .item(let base, let index):
            let resolvedBase = try resolve(base)
            guard case .value(let b) = resolvedBase else { return resolvedBase }
            let key = try evaluate(index)
            return withGroupHint(try JinjaAccess.item(b, key), base: base, key: key.stringValue, value: b)
        case .conditional(let condition, let then, let otherwise):
            if try evaluate(condition).isTruthy { return try resolve(then) }
            guard let otherwise else {
                return .empty
            }
            return try resolve(otherwise)
        case .filter(let input, let name, let args, let l):
            return try applyFilter(input, name: name, args: args, line: l)
        default:
            return .value(try evaluateDefined(e))
        }
    }

    /// `groups.X` or `groups['X']` when the inventory has no group X: Jinja's message, then the
    /// groups meant (`inventory has no group kube_control_plane; did you mean kube-mastr?`).
    private func withGroupHint(_ r: JinjaResolved, base: JinjaExpr, key: String?, value: Value) -> JinjaResolved {
        guard case .undefined(let message) = r, case .name("groups") = base, locals["groups"] == nil, let key,
            case .dict(let groups) = value
        else { return r }
        let hint = MissingNameHint.forGroup(key, groups: groups.keys).map { "; \($0)" } ?? ""
        return .undefined("\(message); inventory has no group \(key)\(hint)")
    }

    private func evaluateDefined(_ e: JinjaExpr) throws -> Value {
        switch e {
        case .list(let items): return .list(try items.map(evaluate))
        case .dict(let pairs):
            var d = OrderedDictionary<String, Value>()
            for (k, v) in pairs {
                let key = try evaluate(k)
                d[key.stringValue ?? key.pythonString] = try evaluate(v)
            }
            return .dict(d)
        case .slice(let base, let start, let stop, let step):
            return try JinjaAccess.slice(
                try evaluate(base), start: start.map(evaluate), stop: stop.map(evaluate),
                step: step.map(evaluate))
        case .unary(let op, let operand):
            return try JinjaPythonOperators.unary(op, try evaluate(operand))
        case .binary(let op, let l, let r):
            return try JinjaPythonOperators.binary(op, try evaluate(l), try evaluate(r))
        case .and(let l, let r):
            let left = try evaluate(l)
            return left.isTruthy ? try evaluate(r) : left
        case .or(let l, let r):
            let left = try evaluate(l)
            return left.isTruthy ? left : try evaluate(r)
        case .not(let operand): return .bool(!(try evaluate(operand)).isTruthy)
        case .concat(let parts):
            var text = ""
            for part in parts {
                let resolved = try resolve(part)
                if case .empty = resolved { continue }
                let piece = try defined(resolved).pythonString
                try TemplateLimits.checkString(bytes: text.utf8.count + piece.utf8.count)
                text += piece
            }
            return .string(text)
        case .compare(let op, let l, let r):
            return .bool(try JinjaPythonOperators.compare(op, try evaluate(l), try evaluate(r)))
        case .test(let subject, let name, let args, let negated):
            return .bool(try applyTest(subject, name: name, args: args) != negated)
        case .call(let callee, let args):
            return try call(callee, args: args)
        default:
            throw TemplateError("cannot evaluate expression")
        }
    }

    private func arguments(_ args: JinjaArguments, input: Value) throws -> CallArguments {
        var keywords = OrderedDictionary<String, Value>()
        for (k, v) in args.keywords { keywords[k] = try evaluate(v) }
        return CallArguments(
            input: input, positional: try args.positional.map(evaluate), keywords: keywords,
            environment: environment, scope: scope)
    }

    private func applyFilter(_ input: JinjaExpr, name: String, args: JinjaArguments, line l: Int) throws
        -> JinjaResolved
    {
        let short = name.hasPrefix("ansible.builtin.") ? String(name.dropFirst(16)) : name
        switch short {
        case "default", "d":
            // The fallback is evaluated only when it is used: `a | default(b.c)` with `a` defined is `a`
            // even when `b` is undefined, as in Ansible, whose undefined values fail only when used.
            func argument(_ index: Int, _ name: String) -> JinjaExpr? {
                index < args.positional.count ? args.positional[index] : args.keywords.first { $0.0 == name }?.1
            }
            let boolean = try argument(1, "boolean").map { try evaluate($0).isTruthy } ?? false
            let fallback = { try argument(0, "default_value").map(self.evaluate) ?? .string("") }
            switch try resolve(input) {
            case .value(let v): return .value(boolean && !v.isTruthy ? try fallback() : v)
            case .undefined: return .value(try fallback())
            case .empty: return .empty
            }
        case "mandatory":
            let resolvedInput = try resolve(input)
            if case .empty = resolvedInput { return .empty }
            guard case .value(let v) = resolvedInput else {
                let call = try arguments(args, input: .null)
                if let msg = call.argument(0, "msg"), msg != .null { throw TemplateError(msg.pythonString) }
                var what = ""
                if case .name(let n) = input { what = " '\(n)'" }
                throw TemplateError("Mandatory variable\(what) not defined.", isUndefined: true)
            }
            return .value(v)
        default:
            guard let filter = environment.filters[name] else { throw TemplateError("No filter named '\(name)'.") }
            let value = try evaluate(input)
            line = l
            return .value(try filter(try arguments(args, input: value)))
        }
    }

    private func applyTest(_ subject: JinjaExpr, name: String, args: JinjaArguments) throws -> Bool {
        let short = name.hasPrefix("ansible.builtin.") ? String(name.dropFirst(16)) : name
        switch short {
        case "defined", "undefined":
            let isDefined: Bool
            if case .value = try resolve(subject) { isDefined = true } else { isDefined = false }
            return isDefined == (short == "defined")
        default:
            guard let test = environment.tests[name] else { throw TemplateError("No test named '\(name)'.") }
            return try test(try arguments(args, input: try evaluate(subject)))
        }
    }

    private func call(_ callee: JinjaExpr, args: JinjaArguments) throws -> Value {
        switch callee {
        case .name(let n):
            if n == "super", locals[n] == nil, !openBlocks.isEmpty { return try callSuper() }
            if locals[n] == nil, let macro = macros[n] {
                let caller = pendingCaller
                pendingCaller = nil
                return try callMacro(macro, try arguments(args, input: .null), caller: caller)
            }
            if n == "caller", locals[n] == nil, macroDepth > 0 {
                throw TemplateError("No caller defined", isUndefined: true)
            }
            guard locals[n] == nil, let function = environment.functions[n] else {
                let defined = try locals[n] != nil || scope.lookup(n) != nil
                throw TemplateError(defined ? "'\(n)' is not callable" : "'\(n)' is undefined", isUndefined: !defined)
            }
            return try function(try arguments(args, input: .null))
        case .attribute(.name(let namespace), let method)
        where locals[namespace] == nil && importedMacros[namespace] != nil:
            guard let table = importedMacros[namespace], let macro = table[method] else {
                throw TemplateError("'\(namespace)' has no attribute '\(method)'", isUndefined: true)
            }
            // The file's other macros are callable from inside it, as in its own module.
            let saved = macros
            defer { macros = saved }
            for (name, sibling) in table where macros[name] == nil { macros[name] = sibling }
            let caller = pendingCaller
            pendingCaller = nil
            return try callMacro(macro, try arguments(args, input: .null), caller: caller)
        case .attribute(let base, let method):
            let receiver = try evaluate(base)
            return try JinjaMethods.call(receiver, method, try arguments(args, input: receiver))
        default:
            throw TemplateError("object is not callable")
        }
    }
}
