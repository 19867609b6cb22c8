import CapstanBasics
import Collections

/// Filters on lists and mappings: length, first, sort, unique, combine, dict2items, flatten, zip, ...
extension JinjaBuiltinFilters {
    static func registerCollections(in env: TemplateEnvironment) {
        let length: TemplateFilter = { args in
            switch args.input {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            default: throw TemplateError("object of type '\(args.input.pythonTypeName)' has no len()")
            }
        }
        env.registerFilter("length", length)
        env.registerFilter("count", length)
        env.registerFilter("first") { args in
            guard let first = try JinjaRenderer.iterate(args.input).first else {
                throw TemplateError("No first item, sequence was empty.", isUndefined: true)
            }
            return first
        }
        env.registerFilter("last") { args in
            guard let last = try JinjaRenderer.iterate(args.input).last else {
                throw TemplateError("No last item, sequence was empty.", isUndefined: true)
            }
            return last
        }
        env.registerFilter("list") { .list(try JinjaRenderer.iterate($0.input)) }
        env.registerFilter("reverse") { args in
            if case .string(let s) = args.input {
                return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))
            }
            return .list(try JinjaRenderer.iterate(args.input).reversed())
        }
        env.registerFilter("join") { args in
            var items = try JinjaRenderer.iterate(args.input)
            if let attribute = args.argument(1, "attribute") {
                items = try items.map { try attributeValue($0, attribute) }
            }
            let separator = string(args.argument(0, "d"))
            var text = ""
            for (index, item) in items.enumerated() {
                if case .string = item {} else { try TemplateLimits.checkWritable(item) }
                let piece = (index > 0 ? separator : "") + item.pythonString
                try TemplateLimits.checkString(bytes: text.utf8.count + piece.utf8.count, "joined string")
                text += piece
            }
            return .string(text)
        }
        env.registerFilter("unique") { args in
            let caseSensitive = args.flag(0, "case_sensitive")
            let attribute = args.argument(1, "attribute")
            var seen: [Value] = []
            var out: [Value] = []
            for item in try JinjaRenderer.iterate(args.input) {
                var key = try attribute.map { try attributeValue(item, $0) } ?? item
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                guard !seen.contains(where: { JinjaPythonOperators.equal($0, key) }) else { continue }
                seen.append(key)
                out.append(item)
            }
            return .list(out)
        }
        env.registerFilter("sort") { args in
            let attribute = args.argument(2, "attribute")
            let caseSensitive = args.flag(1, "case_sensitive")
            let keyed = try JinjaRenderer.iterate(args.input).map { item -> (Value, Value) in
                var key = try attribute.map { try attributeValue(item, $0) } ?? item
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                return (key, item)
            }
            return .list(try stableSort(keyed, descending: args.flag(0, "reverse")))
        }
        env.registerFilter("dictsort") { args in
            guard case .dict(let d) = args.input else {
                throw TemplateError("You can only sort by either \"key\" or \"value\"")
            }
            let byValue = args.argument(1, "by")?.stringValue == "value"
            let caseSensitive = args.flag(0, "case_sensitive")
            let keyed = d.map { pair -> (Value, Value) in
                var key = byValue ? pair.value : .string(pair.key)
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                return (key, .list([.string(pair.key), pair.value]))
            }
            return .list(try stableSort(keyed, descending: args.flag(2, "reverse")))
        }
        env.registerFilter("items") { args in
            guard case .dict(let d) = args.input else { return .list([]) }
            return .list(d.map { .list([.string($0.key), $0.value]) })
        }
        env.registerFilter("dict2items") { args in
            guard case .dict(let d) = args.input else {
                throw TemplateError("dict2items requires a dictionary, got \(args.input.pythonTypeName) instead.")
            }
            let k = string(args.argument(0, "key_name", default: "key"))
            let v = string(args.argument(1, "value_name", default: "value"))
            return .list(d.map { .dict([k: .string($0.key), v: $0.value]) })
        }
        env.registerFilter("items2dict") { args in
            let k = string(args.argument(0, "key_name", default: "key"))
            let v = string(args.argument(1, "value_name", default: "value"))
            var out = OrderedDictionary<String, Value>()
            for item in try JinjaRenderer.iterate(args.input) {
                guard case .dict(let d) = item, let key = d[k], let value = d[v] else {
                    throw TemplateError("items2dict requires a list of dictionaries with '\(k)' and '\(v)' keys")
                }
                out[key.stringValue ?? key.pythonString] = value
            }
            return .dict(out)
        }
        env.registerFilter("combine") { args in
            let recursive = args.keywords["recursive"]?.isTruthy ?? false
            let listMerge = args.keywords["list_merge"]?.stringValue ?? "replace"
            var dicts: [Value] = []
            for term in [args.input] + args.positional {
                if case .list(let l) = term { dicts += l } else { dicts.append(term) }
            }
            guard var result = dicts.first else { return .dict([:]) }
            for d in dicts.dropFirst() {
                result = try JinjaMerge.merge(result, d, recursive: recursive, listMerge: listMerge)
            }
            return result
        }
        env.registerFilter("flatten") { args in
            let levels = args.argument(0, "levels").flatMap { $0 == .null ? nil : try? int($0, "levels") }
            return .list(
                flatten(
                    try JinjaRenderer.iterate(args.input), levels: levels,
                    skipNulls: args.flag(1, "skip_nulls", default: true)))
        }
        env.registerFilter("zip") { args in
            let lists = try ([args.input] + args.positional).map(JinjaRenderer.iterate)
            let n = lists.map(\.count).min() ?? 0
            return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
        }
        env.registerFilter("zip_longest") { args in
            let lists = try ([args.input] + args.positional).map(JinjaRenderer.iterate)
            let n = lists.map(\.count).max() ?? 0
            let fill = args.keywords["fillvalue"] ?? .null
            return .list((0..<n).map { i in .list(lists.map { i < $0.count ? $0[i] : fill }) })
        }
        env.registerFilter("subelements") { try subelements($0) }
        env.registerFilter("batch") { args in
            let size = try int(args.argument(0, "linecount"), "linecount")
            guard size > 0 else { throw TemplateError("batch size must be positive") }
            let items = try JinjaRenderer.iterate(args.input)
            if let fill = args.argument(1, "fill_with"), fill != .null {
                try TemplateLimits.checkList(count: size, "batch")
            }
            return .list(
                stride(from: 0, to: items.count, by: size).map { start in
                    var chunk = Array(items[start..<start + min(size, items.count - start)])
                    if let fill = args.argument(1, "fill_with"), fill != .null {
                        while chunk.count < size { chunk.append(fill) }
                    }
                    return .list(chunk)
                })
        }
    }

    /// Sorts by key with Python's ordering; stable like Python's `sorted`.
    static func stableSort(_ keyed: [(Value, Value)], descending: Bool = false) throws -> [Value] {
        var error: TemplateError?
        let indexed = keyed.enumerated().map { ($0.offset, $0.element) }
        let sorted = indexed.sorted { a, b in
            do {
                if try JinjaPythonOperators.less(a.1.0, b.1.0) { return !descending }
                if try JinjaPythonOperators.less(b.1.0, a.1.0) { return descending }
            } catch let e as TemplateError {
                error = e
            } catch {}
            return a.0 < b.0
        }
        if let error { throw error }
        return sorted.map { $0.1.1 }
    }

    /// `attribute='a.b'` or `attribute=0`: dotted lookup as Jinja2's `make_attrgetter` does.
    static func attributeValue(_ item: Value, _ attribute: Value) throws -> Value {
        let parts: [Value]
        if case .string(let s) = attribute {
            parts = s.split(separator: ".").map { Int($0).map(Value.int) ?? .string(String($0)) }
        } else {
            parts = [attribute]
        }
        var current = item
        for p in parts {
            current = try JinjaAccess.itemValue(current, p)
        }
        return current
    }

    static func flatten(_ items: [Value], levels: Int?, skipNulls: Bool) -> [Value] {
        var out: [Value] = []
        for item in items {
            if skipNulls, item == .null || item == .string("None") || item == .string("null") { continue }
            if case .list(let inner) = item, levels.map({ $0 >= 1 }) ?? true {
                out += flatten(inner, levels: levels.map { $0 - 1 }, skipNulls: skipNulls)
            } else {
                out.append(item)
            }
        }
        return out
    }

    private static func subelements(_ args: CallArguments) throws -> Value {
        let elements: [Value]
        switch args.input {
        case .dict(let d): elements = Array(d.values)
        case .list(let l): elements = l
        default: throw TemplateError("obj must be a list of dicts or a nested dict")
        }
        let path: [String]
        switch args.argument(0, "subelements") ?? .null {
        case .string(let s): path = s.components(separatedBy: ".")
        case .list(let l): path = l.map(\.pythonString)
        default: throw TemplateError("subelements must be a list or a string")
        }
        let skipMissing = args.flag(1, "skip_missing")
        var results: [Value] = []
        for element in elements {
            var values = element
            for key in path {
                guard case .dict(let d) = values else {
                    throw TemplateError("the key \(key) should point to a dictionary, got '\(values.pythonString)'")
                }
                guard let v = d[key] else {
                    if skipMissing {
                        values = .list([])
                        break
                    }
                    throw TemplateError(
                        "could not find \(PythonString.repr(key)) key in iterated item \(values.pythonRepr)")
                }
                values = v
            }
            guard case .list(let l) = values else {
                throw TemplateError(
                    "the key \(PythonString.repr(path.last ?? "")) should point to a list, got \(values.pythonRepr)")
            }
            results += l.map { .list([element, $0]) }
        }
        return .list(results)
    }
}

/// Ansible's `merge_hash`, as `combine` uses it.
enum JinjaMerge {
    static func merge(_ a: Value, _ b: Value, recursive: Bool, listMerge: String) throws -> Value {
        guard case .dict(var x) = a, case .dict(let y) = b else {
            throw TemplateError(
                "failed to combine variables, expected dicts but got a '\(a.pythonTypeName)' and a '\(b.pythonTypeName)'"
            )
        }
        for (key, new) in y {
            guard let old = x[key] else {
                x[key] = new
                continue
            }
            switch (old, new) {
            case (.dict, .dict) where recursive:
                x[key] = try merge(old, new, recursive: true, listMerge: listMerge)
            case (.list(let o), .list(let n)):
                switch listMerge {
                case "keep": break
                case "append": x[key] = .list(o + n)
                case "prepend": x[key] = .list(n + o)
                case "append_rp": x[key] = .list(o.filter { !n.contains($0) } + n)
                case "prepend_rp": x[key] = .list(n + o.filter { !n.contains($0) })
                default: x[key] = new
                }
            default:
                x[key] = new
            }
        }
        return .dict(x)
    }
}
