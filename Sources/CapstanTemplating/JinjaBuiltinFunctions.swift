import CapstanBasics
import Collections
import Foundation

/// Global functions: `range`, `lookup`/`query`/`q` (dispatching to the environment's lookup table),
/// and `dict`. The `env`, `file` and `password` lookups are built in (`JinjaLookups`).
enum JinjaBuiltinFunctions {
    static func register(in env: TemplateEnvironment) {
        env.functions["range"] = range
        env.functions["lookup"] = { try lookup($0, wantList: $0.keywords["wantlist"]?.isTruthy ?? false) }
        env.functions["query"] = { try lookup($0, wantList: true) }
        env.functions["q"] = env.functions["query"]
        env.functions["dict"] = { args in
            var d = OrderedDictionary<String, Value>()
            if let source = args.positional.first {
                if case .dict(let m) = source {
                    d = m
                } else {
                    for pair in try JinjaRenderer.iterate(source) {
                        let kv = try JinjaRenderer.iterate(pair)
                        guard kv.count == 2 else {
                            throw TemplateError(
                                "dictionary update sequence element has length \(kv.count); 2 is required")
                        }
                        d[kv[0].stringValue ?? kv[0].pythonString] = kv[1]
                    }
                }
            }
            for (k, v) in args.keywords { d[k] = v }
            return .dict(d)
        }
        env.functions["namespace"] = { args in
            var d = args.positional.first?.dictValue ?? [:]
            for (k, v) in args.keywords { d[k] = v }
            return .dict(d)
        }
        env.lookups["file"] = JinjaLookups.file
        env.lookups["password"] = JinjaLookups.password
        JinjaLookups.registerVariables(in: env)
        JinjaLookups.registerFiles(in: env)
        JinjaLookups.registerLists(in: env)
    }

    static func integer(_ v: Value?, _ what: String) throws -> Int {
        guard let v, let n = JinjaPythonOperators.number(v), case .int(let i) = n else {
            throw TemplateError(
                "'\(v?.pythonTypeName ?? "NoneType")' object cannot be interpreted as an integer (\(what))")
        }
        return i
    }

    private static func range(_ args: CallArguments) throws -> Value {
        let p = try args.positional.map { try integer($0, "range") }
        let (start, stop, step): (Int, Int, Int)
        switch p.count {
        case 1: (start, stop, step) = (0, p[0], 1)
        case 2: (start, stop, step) = (p[0], p[1], 1)
        case 3: (start, stop, step) = (p[0], p[1], p[2])
        default: throw TemplateError("range expected 1 to 3 arguments, got \(p.count)")
        }
        guard step != 0 else { throw TemplateError("range() arg 3 must not be zero") }
        let count = rangeCount(start, stop, step)
        guard count <= 100_000 else {
            throw TemplateError("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).")
        }
        return .list((0..<count).map { .int(start + $0 * step) })
    }

    /// How many numbers `range(start, stop, step)` holds (step not zero), computed without overflowing
    /// (the distance between two `Int`s always fits a `UInt`); `Int.max` stands for more than that.
    static func rangeCount(_ start: Int, _ stop: Int, _ step: Int) -> Int {
        guard step > 0 ? stop > start : start > stop else { return 0 }
        let span = step > 0 ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
        return Int(exactly: (span - 1) / step.magnitude + 1) ?? Int.max
    }

    /// `lookup('name', terms..., kw=...)` as Ansible shapes its result: with `wantlist` (and for
    /// `query`) the plugin's list; otherwise nothing for an empty list, the item of a one-item list,
    /// the items comma-joined when all are strings, the list as it is when not. `errors='warn'` or
    /// `'ignore'` turns a failure into `None` (`[]` with `wantlist`).
    private static func lookup(_ args: CallArguments, wantList: Bool) throws -> Value {
        guard case .string(let name) = args.positional.first ?? .null else {
            throw TemplateError("lookup plugin name expected")
        }
        let short = name.hasPrefix("ansible.builtin.") ? String(name.dropFirst(16)) : name
        guard let plugin = args.environment.lookups[short] else {
            throw TemplateError("lookup plugin (\(name)) not found")
        }
        var call = args
        call.positional.removeFirst()
        call.keywords.removeValue(forKey: "wantlist")
        let errors = call.keywords.removeValue(forKey: "errors")?.pythonString ?? "strict"
        let result: Value
        do {
            result = try plugin(call)
        } catch is TemplateError where (errors == "warn" || errors == "ignore") && short != "vars" {
            // `vars` answers a missing name with an undefined value rather than failing, so
            // `errors=` does not hide it.
            return wantList ? .list([]) : .null
        }
        if wantList { return result }
        guard case .list(let items) = result, !items.isEmpty else { return result }
        if items.count == 1 { return items[0] }
        let strings = items.compactMap { item -> String? in
            if case .string(let s) = item { return s }
            return nil
        }
        return strings.count == items.count ? .string(strings.joined(separator: ",")) : result
    }
}
