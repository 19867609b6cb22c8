import CapstanBasics
import Collections
import Foundation

/// JMESPath's built-in functions, with the specification's argument types: a wrong type or count
/// is an error naming the function.
extension JMESPathEvaluator {
    func call(_ name: String, _ nodes: [Node], _ current: Value) throws -> Value {
        func fail(_ why: String) -> TemplateError { Self.error("In function \(name)(): \(why)") }
        func arity(_ n: Int) throws {
            guard nodes.count == n else { throw fail("expected \(n) arguments, received \(nodes.count)") }
        }
        func arg(_ i: Int) throws -> Value {
            if case .reference = nodes[i] { throw fail("invalid type for argument \(i + 1): expression") }
            return try evaluate(nodes[i], current)
        }
        func reference(_ i: Int) throws -> Node {
            guard case .reference(let node) = nodes[i] else {
                throw fail("argument \(i + 1) must be an expression (&...)")
            }
            return node
        }
        func list(_ i: Int) throws -> [Value] {
            guard case .list(let items) = try arg(i) else { throw fail("invalid type for argument \(i + 1)") }
            return items
        }
        func string(_ i: Int) throws -> String {
            guard case .string(let s) = try arg(i) else { throw fail("invalid type for argument \(i + 1)") }
            return s
        }
        func numberArg(_ i: Int) throws -> Double {
            guard let n = Self.number(try arg(i)) else { throw fail("invalid type for argument \(i + 1)") }
            return n
        }
        switch name {
        case "length":
            try arity(1)
            switch try arg(0) {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .list(let l): return .int(l.count)
            case .dict(let d): return .int(d.count)
            default: throw fail("invalid type for argument 1")
            }
        case "keys", "values":
            try arity(1)
            guard case .dict(let d) = try arg(0) else { throw fail("invalid type for argument 1") }
            return .list(name == "keys" ? d.keys.map(Value.string) : Array(d.values))
        case "contains":
            try arity(2)
            let needle = try arg(1)
            switch try arg(0) {
            case .string(let s):
                guard case .string(let sub) = needle else { return .bool(false) }
                return .bool(sub.isEmpty || s.contains(sub))
            case .list(let l): return .bool(l.contains { Self.equal($0, needle) })
            default: throw fail("invalid type for argument 1")
            }
        case "starts_with", "ends_with":
            try arity(2)
            let (s, affix) = (try string(0), try string(1))
            return .bool(name == "starts_with" ? s.hasPrefix(affix) : s.hasSuffix(affix))
        case "join":
            try arity(2)
            let separator = try string(0)
            let parts = try list(1).map { v -> String in
                guard case .string(let s) = v else { throw fail("invalid type for argument 2") }
                return s
            }
            return .string(parts.joined(separator: separator))
        case "to_string":
            try arity(1)
            let v = try arg(0)
            if case .string = v { return v }
            return .string(Self.minified(v))
        case "to_number":
            try arity(1)
            switch try arg(0) {
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .string(let s):
                if let i = Int(s) { return .int(i) }
                if let d = Double(s), d.isFinite { return .float(d) }
                return .null
            default: return .null
            }
        case "to_array":
            try arity(1)
            let v = try arg(0)
            if case .list = v { return v }
            return .list([v])
        case "type":
            try arity(1)
            switch try arg(0) {
            case .null: return "null"
            case .bool: return "boolean"
            case .int, .float: return "number"
            case .string: return "string"
            case .list: return "array"
            case .dict: return "object"
            }
        case "not_null":
            guard !nodes.isEmpty else { throw fail("expected at least 1 argument") }
            for i in nodes.indices {
                let v = try arg(i)
                if v != .null { return v }
            }
            return .null
        case "abs", "ceil", "floor":
            try arity(1)
            let v = try arg(0)
            if case .int(let i) = v { return .int(name == "abs" ? abs(i) : i) }
            let d = try numberArg(0)
            let r = name == "abs" ? Swift.abs(d) : name == "ceil" ? d.rounded(.up) : d.rounded(.down)
            return name == "abs" ? .float(r) : (Int(exactly: r).map(Value.int) ?? .float(r))
        case "sum", "avg":
            try arity(1)
            let items = try list(0)
            let numbers = try items.map { v -> Double in
                guard let n = Self.number(v) else { throw fail("invalid type for argument 1") }
                return n
            }
            if name == "avg" { return numbers.isEmpty ? .null : .float(numbers.reduce(0, +) / Double(numbers.count)) }
            if items.allSatisfy({ if case .int = $0 { return true } else { return false } }) {
                return .int(items.reduce(0) { $0 + ($1.intValueOrZero) })
            }
            return .float(numbers.reduce(0, +))
        case "reverse":
            try arity(1)
            switch try arg(0) {
            case .string(let s): return .string(String(s.reversed()))
            case .list(let l): return .list(l.reversed())
            default: throw fail("invalid type for argument 1")
            }
        case "sort":
            try arity(1)
            return .list(try Self.sorted(try list(0)) { $0 }.map(\.1))
        case "sort_by", "max_by", "min_by":
            try arity(2)
            let items = try list(0)
            let key = try reference(1)
            let ordered = try Self.sorted(items) { try evaluate(key, $0) }.map(\.1)
            if name == "sort_by" { return .list(ordered) }
            return (name == "max_by" ? ordered.last : ordered.first) ?? .null
        case "max", "min":
            try arity(1)
            let ordered = try Self.sorted(try list(0)) { $0 }.map(\.1)
            return (name == "max" ? ordered.last : ordered.first) ?? .null
        case "map":
            try arity(2)
            let key = try reference(0)
            return .list(try list(1).map { try evaluate(key, $0) })
        case "merge":
            var merged = OrderedDictionary<String, Value>()
            for i in nodes.indices {
                guard case .dict(let d) = try arg(i) else { throw fail("invalid type for argument \(i + 1)") }
                merged.merge(d) { $1 }
            }
            return .dict(merged)
        default:
            throw Self.error("Unknown function: \(name)()")
        }
    }

    /// Items sorted by a key that must be all numbers or all strings (a stable sort, as Python's).
    static func sorted(_ items: [Value], by key: (Value) throws -> Value) throws -> [(Value, Value)] {
        let keyed = try items.map { (try key($0), $0) }
        let allNumbers = keyed.allSatisfy { number($0.0) != nil }
        let allStrings = keyed.allSatisfy { if case .string = $0.0 { return true } else { return false } }
        guard allNumbers || allStrings else { throw error("sort keys must all be numbers or all be strings") }
        return keyed.enumerated().sorted { a, b in
            let less: Bool
            let equal: Bool
            if allNumbers {
                let (x, y) = (number(a.element.0)!, number(b.element.0)!)
                (less, equal) = (x < y, x == y)
            } else {
                let (x, y) = (a.element.0.stringValue ?? "", b.element.0.stringValue ?? "")
                let (ux, uy) = (Array(x.unicodeScalars.map(\.value)), Array(y.unicodeScalars.map(\.value)))
                (less, equal) = (ux.lexicographicallyPrecedes(uy), ux == uy)
            }
            return less || (equal && a.offset < b.offset)
        }.map(\.element)
    }

    /// `json.dumps(v, separators=(',', ':'))`.
    static func minified(_ v: Value) -> String {
        switch v {
        case .list(let items): return "[" + items.map(minified).joined(separator: ",") + "]"
        case .dict(let d):
            return "{" + d.map { Value.jsonQuoted($0.key) + ":" + minified($0.value) }.joined(separator: ",") + "}"
        default: return v.json()
        }
    }
}

extension Value {
    fileprivate var intValueOrZero: Int {
        if case .int(let i) = self { return i }
        return 0
    }
}
