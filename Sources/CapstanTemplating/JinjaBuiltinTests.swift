import CapstanBasics
import Foundation

/// Jinja2's tests and Ansible's core tests: types, comparisons, regex, versions, task results, sets
/// (and paths, in `JinjaPathTests`).
enum JinjaBuiltinTests {
    static func register(in env: TemplateEnvironment) {
        let simple: [String: (Value) -> Bool] = [
            "none": { $0 == .null },
            "string": { $0.stringValue != nil },
            "number": {
                if case .int = $0 { return true }
                if case .float = $0 { return true }
                if case .bool = $0 { return true }
                return false
            },
            "integer": {
                if case .int = $0 { return true }
                return false
            },
            "float": {
                if case .float = $0 { return true }
                return false
            },
            "boolean": {
                if case .bool = $0 { return true }
                return false
            },
            // jinja2 3's `true` and `false` are identity tests: `1 is true` is false.
            "true": {
                if case .bool(true) = $0 { return true }
                return false
            },
            "false": {
                if case .bool(false) = $0 { return true }
                return false
            },
            "mapping": { $0.dictValue != nil },
            "iterable": {
                switch $0 {
                case .list, .dict, .string: return true
                default: return false
                }
            },
            "sequence": {
                switch $0 {
                case .list, .dict, .string: return true
                default: return false
                }
            },
            "even": {
                if case .int(let i) = $0 { return i % 2 == 0 }
                return false
            },
            "odd": {
                if case .int(let i) = $0 { return i % 2 != 0 }
                return false
            },
            "lower": {
                $0.stringValue.map { s in s.unicodeScalars.contains { $0.properties.isCased } && s.lowercased() == s }
                    ?? false
            },
            "upper": {
                $0.stringValue.map { s in s.unicodeScalars.contains { $0.properties.isCased } && s.uppercased() == s }
                    ?? false
            },
            "callable": { _ in false },
        ]
        for (name, f) in simple { env.registerTest(name) { f($0.input) } }

        // `is defined` on an expression is handled by the renderer; these serve `select('defined')`.
        env.registerTest("defined") { _ in true }
        env.registerTest("undefined") { _ in false }
        env.registerTest("truthy") { args in
            args.flag(0, "convert_bool") ? try JinjaBuiltinFilters.ansibleBool(args.input) : args.input.isTruthy
        }
        env.registerTest("falsy") { args in
            !(args.flag(0, "convert_bool") ? try JinjaBuiltinFilters.ansibleBool(args.input) : args.input.isTruthy)
        }
        let comparisons: [(String, String)] = [
            ("eq", "=="), ("equalto", "=="), ("==", "=="), ("ne", "!="), ("!=", "!="), ("lt", "<"), ("lessthan", "<"),
            ("<", "<"), ("le", "<="), ("<=", "<="), ("gt", ">"), ("greaterthan", ">"), (">", ">"), ("ge", ">="),
            (">=", ">="),
        ]
        for (name, op) in comparisons {
            env.registerTest(name) { try JinjaPythonOperators.compare(op, $0.input, $0.argument(0, "other") ?? .null) }
        }
        env.registerTest("sameas") { args in
            let other = args.argument(0, "other") ?? .null
            // Identity cannot be observed on values; the same kind and equal contents stand in for it.
            return args.input == other
        }
        env.registerTest("in") { try JinjaPythonOperators.contains($0.argument(0, "seq") ?? .list([]), $0.input) }
        env.registerTest("contains") { try JinjaPythonOperators.contains($0.input, $0.argument(0, "seq") ?? .null) }
        env.registerTest("divisibleby") { args in
            let n = try JinjaBuiltinFunctions.integer(args.argument(0, "num"), "divisibleby")
            guard let x = JinjaPythonOperators.number(args.input) else { return false }
            if case .int(let i) = x { return n != 0 && i % n == 0 }
            return fmod(x.double, Double(n)) == 0
        }
        env.registerTest("subset") { args in
            let big = try JinjaRenderer.iterate(args.argument(0, "b") ?? .list([]))
            return try JinjaRenderer.iterate(args.input).allSatisfy { a in
                big.contains { JinjaPythonOperators.equal($0, a) }
            }
        }
        env.registerTest("superset") { args in
            let big = try JinjaRenderer.iterate(args.input)
            return try JinjaRenderer.iterate(args.argument(0, "b") ?? .list([])).allSatisfy { a in
                big.contains { JinjaPythonOperators.equal($0, a) }
            }
        }
        env.registerTest("any") { try JinjaRenderer.iterate($0.input).contains { $0.isTruthy } }
        env.registerTest("all") { try JinjaRenderer.iterate($0.input).allSatisfy { $0.isTruthy } }
        for (name, mode) in [("match", RegexMode.match), ("search", .search), ("regex", .search)] {
            env.registerTest(name) { args in
                var m = mode
                if name == "regex", args.argument(3, "match_type")?.stringValue == "match" { m = .match }
                return try JinjaPythonRegex.test(
                    args.input, pattern: args.argument(0, "pattern") ?? .null, mode: m,
                    ignorecase: args.flag(1, "ignorecase"), multiline: args.flag(2, "multiline"))
            }
        }
        env.registerTest("version") { try JinjaVersionCompare.test($0) }
        env.registerTest("version_compare") { try JinjaVersionCompare.test($0) }
        registerResultTests(in: env)
        JinjaPathTests.register(in: env)
    }

    enum RegexMode { case match, search }

    /// `succeeded`, `failed`, `changed`, `skipped`, `unreachable`, `reachable`, `finished`, `started`, on
    /// registered task results.
    private static func registerResultTests(in env: TemplateEnvironment) {
        func result(_ v: Value, _ test: String) throws -> [String: Value] {
            guard case .dict(let d) = v else {
                throw TemplateError("The '\(test)' test expects a dictionary")
            }
            return Dictionary(uniqueKeysWithValues: d.map { ($0.key, $0.value) })
        }
        let failed: (Value) throws -> Bool = { v in try result(v, "failed")["failed"]?.isTruthy ?? false }
        env.registerTest("failed") { try failed($0.input) }
        env.registerTest("failure") { try failed($0.input) }
        env.registerTest("succeeded") { try !(result($0.input, "succeeded")["failed"]?.isTruthy ?? false) }
        env.registerTest("success") { try !(result($0.input, "success")["failed"]?.isTruthy ?? false) }
        env.registerTest("successful") { try !(result($0.input, "successful")["failed"]?.isTruthy ?? false) }
        env.registerTest("changed") { try result($0.input, "changed")["changed"]?.isTruthy ?? false }
        env.registerTest("change") { try result($0.input, "change")["changed"]?.isTruthy ?? false }
        env.registerTest("skipped") { try result($0.input, "skipped")["skipped"]?.isTruthy ?? false }
        env.registerTest("skip") { try result($0.input, "skip")["skipped"]?.isTruthy ?? false }
        env.registerTest("unreachable") { try result($0.input, "unreachable")["unreachable"]?.isTruthy ?? false }
        env.registerTest("reachable") { try !(result($0.input, "reachable")["unreachable"]?.isTruthy ?? false) }
        env.registerTest("finished") { try (result($0.input, "finished")["finished"] ?? .int(1)).isTruthy }
        env.registerTest("started") { try (result($0.input, "started")["started"] ?? .int(1)).isTruthy }
    }
}
