import CapstanBasics
import Collections
import Foundation

/// Evaluates a parsed JMESPath expression with the specification's semantics: a missing field or
/// a wrong type gives null, projections drop nulls, only `false`, null and empty strings, lists and
/// objects are false, and numbers are never equal to booleans.
struct JMESPathEvaluator {
    typealias Node = JMESPath.Node

    func evaluate(_ node: Node, _ value: Value) throws -> Value {
        switch node {
        case .current: return value
        case .field(let name): return value.dictValue?[name] ?? .null
        case .literal(let v): return v
        case .index(let i):
            guard case .list(let items) = value else { return .null }
            let at = i < 0 ? items.count + i : i
            return items.indices.contains(at) ? items[at] : .null
        case .slice(let start, let stop, let step):
            guard case .list(let items) = value else { return .null }
            return .list(Self.slice(items, start, stop, step ?? 1))
        case .sub(let left, let right):
            let base = try evaluate(left, value)
            return base == .null ? .null : try evaluate(right, base)
        case .pipe(let left, let right): return try evaluate(right, try evaluate(left, value))
        case .or(let left, let right):
            let l = try evaluate(left, value)
            return Self.truthy(l) ? l : try evaluate(right, value)
        case .and(let left, let right):
            let l = try evaluate(left, value)
            return Self.truthy(l) ? try evaluate(right, value) : l
        case .not(let inner): return .bool(!Self.truthy(try evaluate(inner, value)))
        case .compare(let op, let left, let right):
            return Self.compare(op, try evaluate(left, value), try evaluate(right, value))
        case .projection(let left, let right):
            guard case .list(let items) = try evaluate(left, value) else { return .null }
            return .list(try items.map { try evaluate(right, $0) }.filter { $0 != .null })
        case .valueProjection(let left, let right):
            guard case .dict(let d) = try evaluate(left, value) else { return .null }
            return .list(try d.values.map { try evaluate(right, $0) }.filter { $0 != .null })
        case .flatten(let inner):
            guard case .list(let items) = try evaluate(inner, value) else { return .null }
            return .list(items.flatMap { $0.listValue ?? [$0] })
        case .filter(let left, let right, let condition):
            guard case .list(let items) = try evaluate(left, value) else { return .null }
            return .list(
                try items.filter { Self.truthy(try evaluate(condition, $0)) }.map { try evaluate(right, $0) }
                    .filter { $0 != .null })
        case .list(let nodes):
            return value == .null ? .null : .list(try nodes.map { try evaluate($0, value) })
        case .hash(let pairs):
            guard value != .null else { return .null }
            var d = OrderedDictionary<String, Value>()
            for (key, node) in pairs { d[key] = try evaluate(node, value) }
            return .dict(d)
        case .function(let name, let args): return try call(name, args, value)
        case .reference: throw Self.error("an expression reference (&) is only allowed as a function argument")
        }
    }

    static func error(_ why: String) -> TemplateError {
        TemplateError("JMESPathError in json_query filter plugin: \(why)")
    }

    static func truthy(_ v: Value) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        case .int, .float: return true
        }
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        default: return nil
        }
    }

    /// JMESPath equality: deep, numbers by value, booleans never equal to numbers.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.list(let l), .list(let r)): return l.count == r.count && zip(l, r).allSatisfy(equal)
        case (.dict(let l), .dict(let r)):
            return l.count == r.count && l.allSatisfy { key, v in r[key].map { equal(v, $0) } ?? false }
        default: return a == b
        }
    }

    static func compare(_ op: String, _ a: Value, _ b: Value) -> Value {
        switch op {
        case "==": return .bool(equal(a, b))
        case "!=": return .bool(!equal(a, b))
        default:
            guard let x = number(a), let y = number(b) else { return .null }
            switch op {
            case "<": return .bool(x < y)
            case "<=": return .bool(x <= y)
            case ">": return .bool(x > y)
            default: return .bool(x >= y)
            }
        }
    }

    /// Python's slice of a list.
    static func slice(_ items: [Value], _ start: Int?, _ stop: Int?, _ step: Int) -> [Value] {
        let n = items.count
        func clamp(_ i: Int?, _ fallback: Int, low: Int, high: Int) -> Int {
            guard let i else { return fallback }
            let j = i < 0 ? i + n : i
            return min(max(j, low), high)
        }
        var result: [Value] = []
        if step > 0 {
            var i = clamp(start, 0, low: 0, high: n)
            let end = clamp(stop, n, low: 0, high: n)
            while i < end {
                result.append(items[i])
                i += step
            }
        } else {
            var i = clamp(start, n - 1, low: -1, high: n - 1)
            let end = clamp(stop, -1, low: -1, high: n - 1)
            while i > end {
                result.append(items[i])
                i += step
            }
        }
        return result
    }
}
