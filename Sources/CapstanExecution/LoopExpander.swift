import CapstanBasics
import CapstanPlaybook
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// Turns `loop:` and `with_<lookup>:` into the list of items, as Ansible's lookup plugins do.
struct LoopExpander {
    /// A loop that cannot be expanded (wrong data for the lookup, unknown lookup).
    struct LoopError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    let templar: Templar

    /// The items of `loop` in `scope`; the terms are templated first.
    func items(_ loop: Loop, scope: VariableScope) throws -> [Value] {
        let terms = try templar.renderDeep(loop.terms, scope: scope, origin: loop.location)
        guard let lookup = loop.lookup else {
            guard case .list(let list) = terms else {
                throw LoopError(
                    message:
                        "Invalid data passed to 'loop', it requires a list, got this instead: \(terms.pythonString). "
                        + "Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup."
                )
            }
            return list
        }
        return try Self.expand(lookup, terms)
    }

    /// A `with_<lookup>` over already templated terms.
    static func expand(_ lookup: String, _ terms: Value) throws -> [Value] {
        let list: [Value] = terms.listValue ?? [terms]
        switch lookup {
        case "items":
            return list.flatMap { $0.listValue ?? [$0] }
        case "list", "flattened":
            return lookup == "list" ? list : flatten(list)
        case "dict":
            guard case .dict(let d) = terms else {
                throw LoopError(message: "with_dict expects a dict")
            }
            return d.map { Value.dict(["key": .string($0.key), "value": $0.value]) }
        case "together":
            let lists = list.map { $0.listValue ?? [$0] }
            let n = lists.map(\.count).max() ?? 0
            return (0..<n).map { i in .list(lists.map { i < $0.count ? $0[i] : .null }) }
        case "indexed_items":
            return list.flatMap { $0.listValue ?? [$0] }.enumerated().map {
                .list([.int($0.offset), $0.element])
            }
        case "nested", "cartesian":
            var result: [[Value]] = [[]]
            for term in list {
                let options = term.listValue ?? [term]
                result = result.flatMap { prefix in options.map { prefix + [$0] } }
            }
            return result.map(Value.list)
        case "sequence":
            return try list.flatMap { try sequence($0.pythonString) }
        case "subelements":
            return try subelements(list)
        case "fileglob":
            return list.flatMap { glob($0.pythonString) }
        default:
            throw LoopError(message: "lookup plugin (\(lookup)) not found")
        }
    }

    static func flatten(_ list: [Value]) -> [Value] {
        list.flatMap { v -> [Value] in
            if case .list(let inner) = v { return flatten(inner) }
            return [v]
        }
    }

    /// `with_sequence`: `start=1 end=5 stride=1 format=%d`, or `count=N`, or the `[start-]end[/stride][:format]` form.
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
                default: throw LoopError(message: "unrecognized arguments to with_sequence: \(parts[0])")
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
        guard let end else { throw LoopError(message: "must specify count or end in with_sequence") }
        guard stride != 0 else { return [] }
        let values = Swift.stride(from: start, through: end, by: stride)
        return values.map {
            .string(String(format: format.replacingOccurrences(of: "%d", with: "%ld"), $0))
        }
    }

    /// `with_subelements: [list, "key"]`: each element paired with each entry of its `key` list.
    static func subelements(_ terms: [Value]) throws -> [Value] {
        guard terms.count >= 2, case .list(let elements) = terms[0], case .string(let key) = terms[1]
        else {
            throw LoopError(
                message:
                    "subelements lookup expects a list of two or three items, the first a list and the second a string"
            )
        }
        var result: [Value] = []
        for element in elements {
            var current: Value? = element
            for part in key.split(separator: ".") { current = current?[String(part)] }
            guard case .list(let subs)? = current else {
                throw LoopError(
                    message: "could not find '\(key)' key in iterated item '\(element.pythonString)'")
            }
            result += subs.map { .list([element, $0]) }
        }
        return result
    }

    /// `with_fileglob`: files (not folders) matching a pattern on the controller, sorted.
    static func glob(_ pattern: String) -> [Value] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let p = g.gl_pathv[i], let s = String(validatingCString: p) else { continue }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: s, isDirectory: &isDir), !isDir.boolValue {
                paths.append(s)
            }
        }
        return paths.sorted().map(Value.string)
    }
}
