import CapstanBasics
import Collections

/// `map`, `select`, `reject`, `selectattr`, `rejectattr`, `min`, `max`, `sum`, `groupby`: filters that apply
/// other filters, tests or attribute lookups to each item.
extension JinjaBuiltinFilters {
    static func registerSelection(in env: TemplateEnvironment) {
        env.registerFilter("map") { args in
            let items = try JinjaRenderer.iterate(args.input)
            if let attribute = args.keywords["attribute"] {
                return .list(
                    try items.map { item in
                        do {
                            return try attributeValue(item, attribute)
                        } catch let e as TemplateError where e.isUndefined {
                            if let fallback = args.keywords["default"] { return fallback }
                            throw e
                        }
                    })
            }
            guard case .string(let name) = args.positional.first ?? .null else {
                throw TemplateError("map requires a filter name")
            }
            let rest = Array(args.positional.dropFirst())
            return .list(
                try items.map {
                    try args.environment.applyFilter(name, to: $0, positional: rest, keywords: args.keywords)
                })
        }
        for (name, keep) in [("select", true), ("reject", false)] {
            env.registerFilter(name) { args in
                let items = try JinjaRenderer.iterate(args.input)
                guard let test = args.positional.first?.stringValue else {
                    return .list(items.filter { $0.isTruthy == keep })
                }
                let rest = Array(args.positional.dropFirst())
                return .list(
                    try items.filter {
                        try args.environment.applyTest(test, to: $0, positional: rest, keywords: args.keywords) == keep
                    })
            }
        }
        for (name, keep) in [("selectattr", true), ("rejectattr", false)] {
            env.registerFilter(name) { args in
                let items = try JinjaRenderer.iterate(args.input)
                guard let attribute = args.positional.first else {
                    throw TemplateError("Missing parameter for attribute name")
                }
                let test = args.positional.count > 1 ? args.positional[1].stringValue : nil
                let rest = Array(args.positional.dropFirst(2))
                return .list(
                    try items.filter { item in
                        let value: Value
                        do {
                            value = try attributeValue(item, attribute)
                        } catch let e as TemplateError where e.isUndefined {
                            if test == "defined" { return !keep }
                            if test == "undefined" { return keep }
                            throw e
                        }
                        guard let test else { return value.isTruthy == keep }
                        if test == "defined" { return keep }
                        if test == "undefined" { return !keep }
                        return try args.environment.applyTest(
                            test, to: value, positional: rest, keywords: args.keywords) == keep
                    })
            }
        }
        env.registerFilter("min") { try extreme($0, wantMax: false) }
        env.registerFilter("max") { try extreme($0, wantMax: true) }
        env.registerFilter("sum") { args in
            var total = args.argument(1, "start") ?? .int(0)
            for item in try JinjaRenderer.iterate(args.input) {
                let v = try args.argument(0, "attribute").map { try attributeValue(item, $0) } ?? item
                total = try JinjaPythonOperators.binary("+", total, v)
            }
            return total
        }
        env.registerFilter("groupby") { args in
            guard let attribute = args.argument(0, "attribute") else {
                throw TemplateError("groupby requires an attribute")
            }
            let keyed = try JinjaRenderer.iterate(args.input).map { (try attributeValue($0, attribute), $0) }
            var groups: [(Value, [Value])] = []
            for pair in try stableSort(keyed.map { ($0.0, .list([$0.0, $0.1])) }) {
                guard case .list(let kv) = pair else { continue }
                let k = kv[0]
                let item = kv[1]
                if let last = groups.last, JinjaPythonOperators.equal(last.0, k) {
                    groups[groups.count - 1].1.append(item)
                } else {
                    groups.append((k, [item]))
                }
            }
            return .list(groups.map { .list([$0.0, .list($0.1)]) })
        }
    }

    private static func extreme(_ args: CallArguments, wantMax: Bool) throws -> Value {
        let items = try JinjaRenderer.iterate(args.input)
        let attribute = args.keywords["attribute"]
        let caseSensitive = args.keywords["case_sensitive"]?.isTruthy ?? false
        var best: (key: Value, item: Value)?
        for item in items {
            var key = try attribute.map { try attributeValue(item, $0) } ?? item
            if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
            guard let current = best else {
                best = (key, item)
                continue
            }
            if wantMax
                ? try JinjaPythonOperators.less(current.key, key) : try JinjaPythonOperators.less(key, current.key)
            {
                best = (key, item)
            }
        }
        guard let best else { throw TemplateError("No aggregated item, sequence was empty.", isUndefined: true) }
        return best.item
    }
}
