import CapstanBasics
import Collections
import Foundation

/// The list-shaping lookups behind `with_items`, `with_dict`, `with_nested`, ... and their
/// `lookup()`/`query()` forms. Each receives the terms as positional arguments, as Ansible's
/// plugins receive them (`with_x: [a, b]` and `query('x', a, b)` are the same call).
extension JinjaLookups {
    static func registerLists(in env: TemplateEnvironment) {
        env.lookups["items"] = { .list($0.positional.flatMap { $0.listValue ?? [$0] }) }
        env.lookups["list"] = { .list($0.positional) }
        env.lookups["flattened"] = { .list(flatten($0.positional)) }
        env.lookups["dict"] = dict
        env.lookups["indexed_items"] = { args in
            .list(
                args.positional.flatMap { $0.listValue ?? [$0] }.enumerated().map {
                    .list([.int($0.offset), $0.element])
                })
        }
        env.lookups["together"] = { args in
            let lists = args.positional.map { $0.listValue ?? [$0] }
            let n = lists.map(\.count).max() ?? 0
            return .list((0..<n).map { i in .list(lists.map { i < $0.count ? $0[i] : .null }) })
        }
        env.lookups["nested"] = nested
        env.lookups["cartesian"] = nested
        // community.general's two, under their full names too (the short ones are ansible-core's
        // redirects to them).
        env.lookups["community.general.cartesian"] = nested
        env.lookups["community.general.flattened"] = env.lookups["flattened"]
        env.lookups["sequence"] = { args in
            .list(try args.positional.flatMap { try sequence($0.pythonString) })
        }
        env.lookups["subelements"] = { try subelements($0.positional) }
    }

    static func flatten(_ list: [Value]) -> [Value] {
        list.flatMap { v -> [Value] in
            if case .list(let inner) = v { return flatten(inner) }
            return [v]
        }
    }

    /// `dict`: each mapping's entries as `{key, value}` items.
    static func dict(_ args: CallArguments) throws -> Value {
        var items: [Value] = []
        for term in args.positional {
            guard case .dict(let d) = term else {
                throw TemplateError(
                    "the 'dict' lookup plugin expects a dictionary, got '\(term.pythonString)' of type <class '\(term.pythonTypeName)'>)"
                )
            }
            items += d.map { Value.dict(["key": .string($0.key), "value": $0.value]) }
        }
        return .list(items)
    }

    /// `nested`: the cartesian product of the lists, bounded like `product`.
    static func nested(_ args: CallArguments) throws -> Value {
        guard !args.positional.isEmpty else {
            throw TemplateError("with_nested requires at least one element in the nested list")
        }
        var result: [[Value]] = [[]]
        for term in args.positional {
            let options = term.listValue ?? [term]
            try TemplateLimits.checkList(
                count: try TemplateLimits.product(result.count, options.count, "nested"), "nested")
            result = result.flatMap { prefix in options.map { prefix + [$0] } }
        }
        return .list(result.map(Value.list))
    }

    /// `sequence`: `start=1 end=5 stride=1 format=%d`, or `count=N`, or `[start-]end[/stride][:format]`.
    static func sequence(_ text: String) throws -> [Value] {
        var start = 1
        var end: Int?
        var stride = 1
        var format = "%d"
        var count: Int?
        let words = text.split(separator: " ").map(String.init)
        if words.contains(where: { $0.contains("=") }) {
            for w in words {
                let parts = w.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "start": start = Int(parts[1], radix: parts[1].hasPrefix("0x") ? 16 : 10) ?? start
                case "end": end = Int(parts[1])
                case "stride": stride = Int(parts[1]) ?? 1
                case "count": count = Int(parts[1])
                case "format": format = parts[1]
                default: throw TemplateError("unrecognized arguments to with_sequence: \(parts[0])")
                }
            }
        } else {
            var rest = text
            if let colon = rest.firstIndex(of: ":") {
                format = String(rest[rest.index(after: colon)...])
                rest = String(rest[..<colon])
            }
            if let slash = rest.firstIndex(of: "/") {
                stride = Int(rest[rest.index(after: slash)...]) ?? 1
                rest = String(rest[..<slash])
            }
            let bounds = rest.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 2 { (start, end) = (bounds[0], bounds[1]) } else { end = bounds.first }
        }
        if let count { end = start + (count - 1) * stride }
        guard let end else { throw TemplateError("must specify count or end in with_sequence") }
        guard stride != 0 else { return [] }
        let stop = end.addingReportingOverflow(stride > 0 ? 1 : -1)
        guard !stop.overflow else { throw TemplateError("with_sequence: end is out of range") }
        try TemplateLimits.checkList(
            count: JinjaBuiltinFunctions.rangeCount(start, stop.partialValue, stride), "sequence")
        let values = Swift.stride(from: start, through: end, by: stride)
        return values.map {
            .string(String(format: format.replacingOccurrences(of: "%d", with: "%ld"), $0))
        }
    }

    /// `subelements: [list, "key", {skip_missing: bool}]`: each element paired with each entry of its
    /// `key` list (a dotted key walks into nested mappings). As in Ansible, the element handed out
    /// no longer holds that list, and elements marked `skipped` are left out.
    static func subelements(_ terms: [Value]) throws -> Value {
        let usage = "subelements lookup expects a list of two or three items, "
        guard (2...3).contains(terms.count) else { throw TemplateError(usage) }
        let elements: [Value]
        switch terms[0] {
        case .list(let l): elements = l
        case .dict(let d):
            if let skipped = d["skipped"], skipped != .bool(false) { return .list([]) }
            elements = Array(d.values)
        default: throw TemplateError(usage + "first a dict or a list, second a string pointing to the subkey")
        }
        guard case .string(let key) = terms[1] else {
            throw TemplateError(usage + "first a dict or a list, second a string pointing to the subkey")
        }
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let skipMissing = terms.count > 2 ? (terms[2]["skip_missing"]?.isTruthy ?? false) : false
        var result: [Value] = []
        for element in elements {
            guard case .dict(let item) = element else {
                throw TemplateError("subelements lookup expects a dictionary, got '\(element.pythonString)'")
            }
            if let skipped = item["skipped"], skipped != .bool(false) { continue }
            guard let (rest, subs) = try take(path, from: item, skipMissing: skipMissing) else { continue }
            result += subs.map { .list([.dict(rest), $0]) }
        }
        return .list(result)
    }

    /// The list at `path` inside `item` and the item without it; nil when missing and skipped.
    private static func take(
        _ path: [String], from item: OrderedDictionary<String, Value>, skipMissing: Bool
    ) throws -> (OrderedDictionary<String, Value>, [Value])? {
        let key = path[0]
        guard let value = item[key] else {
            if skipMissing { return nil }
            throw TemplateError("could not find '\(key)' key in iterated item '\(Value.dict(item).pythonString)'")
        }
        var rest = item
        if path.count == 1 {
            guard case .list(let subs) = value else {
                throw TemplateError("the key \(key) should point to a list, got '\(value.pythonString)'")
            }
            rest.removeValue(forKey: key)
            return (rest, subs)
        }
        guard case .dict(let inner) = value else {
            if skipMissing { return nil }
            throw TemplateError("the key \(key) should point to a dictionary, got '\(value.pythonString)'")
        }
        guard let (innerRest, subs) = try take(Array(path.dropFirst()), from: inner, skipMissing: skipMissing) else {
            return nil
        }
        rest[key] = .dict(innerRest)
        return (rest, subs)
    }
}
