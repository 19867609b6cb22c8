import CapstanBasics
import Foundation

/// Python's arithmetic, comparison and containment, which Jinja2 expressions inherit.
enum JinjaPythonOperators {
    enum Number {
        case int(Int)
        case float(Double)
        var double: Double {
            switch self {
            case .int(let i): return Double(i)
            case .float(let d): return d
            }
        }
    }

    static func number(_ v: Value) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(d)
        default: return nil
        }
    }

    static func unsupported(_ op: String, _ a: Value, _ b: Value) -> TemplateError {
        TemplateError("unsupported operand type(s) for \(op): '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
    }

    /// Python's integers have no bound; ours are 64-bit, and a result past that is an error, never a
    /// wrapped or rounded number.
    static func overflow(_ op: String) -> TemplateError {
        TemplateError("integer overflow: the result of '\(op)' does not fit in 64 bits")
    }

    static func unary(_ op: String, _ v: Value) throws -> Value {
        guard let n = number(v) else { throw TemplateError("bad operand type for unary \(op): '\(v.pythonTypeName)'") }
        switch (op, n) {
        case ("-", .int(let i)): return try checked(Int(0).subtractingReportingOverflow(i), "-")
        case ("-", .float(let d)): return .float(-d)
        case (_, .int(let i)): return .int(i)
        case (_, .float(let d)): return .float(d)
        }
    }

    static func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        switch (op, a, b) {
        case ("+", .string(let x), .string(let y)):
            try TemplateLimits.checkString(bytes: x.utf8.count + y.utf8.count)
            return .string(x + y)
        case ("+", .list(let x), .list(let y)):
            try TemplateLimits.checkList(count: x.count + y.count)
            return .list(x + y)
        case ("*", .string(let s), _), ("*", _, .string(let s)):
            guard let n = number(a == .string(s) ? b : a), case .int(let k) = n else { throw unsupported(op, a, b) }
            return .string(try TemplateLimits.repeated(s, k))
        case ("*", .list(let l), _), ("*", _, .list(let l)):
            guard let n = number(a == .list(l) ? b : a), case .int(let k) = n else { throw unsupported(op, a, b) }
            guard k > 0, !l.isEmpty else { return .list([]) }
            try TemplateLimits.checkList(count: try TemplateLimits.product(l.count, k, "list"))
            let size = try TemplateLimits.product(TemplateLimits.writtenSize(.list(l)), k, "list")
            guard size <= TemplateLimits.maxStringBytes else {
                throw TemplateError("list too large: its items repeated \(k) times pass the template size limit")
            }
            return .list(Array(Array(repeating: l, count: k).joined()))
        case ("%", .string(let format), _):
            return .string(try JinjaPercentFormat.format(format, b))
        default: break
        }
        guard let x = number(a), let y = number(b) else { throw unsupported(op, a, b) }
        return try arithmetic(op, x, y)
    }

    private static func arithmetic(_ op: String, _ x: Number, _ y: Number) throws -> Value {
        if case .int(let i) = x, case .int(let j) = y {
            switch op {
            case "+": return try checked(i.addingReportingOverflow(j), op)
            case "-": return try checked(i.subtractingReportingOverflow(j), op)
            case "*": return try checked(i.multipliedReportingOverflow(by: j), op)
            case "/":
                guard j != 0 else { throw TemplateError("division by zero") }
                return .float(Double(i) / Double(j))
            case "//":
                guard j != 0 else { throw TemplateError("integer division or modulo by zero") }
                if i == .min, j == -1 { throw overflow(op) }
                return .int(floorDiv(i, j))
            case "%":
                guard j != 0 else { throw TemplateError("integer modulo by zero") }
                if j == -1 { return .int(0) }
                let r = i % j
                return .int(r != 0 && (r < 0) != (j < 0) ? r + j : r)
            case "**":
                if j < 0 {
                    guard i != 0 else { throw TemplateError("0.0 cannot be raised to a negative power") }
                    return .float(pow(Double(i), Double(j)))
                }
                return .int(try power(i, j))
            default: break
            }
        }
        let p = x.double
        let q = y.double
        switch op {
        case "+": return .float(p + q)
        case "-": return .float(p - q)
        case "*": return .float(p * q)
        case "/":
            guard q != 0 else { throw TemplateError("float division by zero") }
            return .float(p / q)
        case "//":
            guard q != 0 else { throw TemplateError("float floor division by zero") }
            return .float((p / q).rounded(.down))
        case "%":
            guard q != 0 else { throw TemplateError("float modulo") }
            let r = fmod(p, q)
            return .float(r != 0 && (r < 0) != (q < 0) ? r + q : r)
        case "**": return .float(pow(p, q))
        default: throw TemplateError("unknown operator \(op)")
        }
    }

    private static func checked(_ r: (partialValue: Int, overflow: Bool), _ op: String) throws -> Value {
        guard !r.overflow else { throw overflow(op) }
        return .int(r.partialValue)
    }

    /// `base ** exponent` for a non-negative exponent, by squaring: a handful of steps even for a huge
    /// exponent, and an error as soon as the result leaves 64 bits.
    static func power(_ base: Int, _ exponent: Int) throws -> Int {
        switch base {
        case 0: return exponent == 0 ? 1 : 0
        case 1: return 1
        case -1: return exponent % 2 == 0 ? 1 : -1
        default: break
        }
        var result = 1
        var factor = base
        var e = exponent
        while true {
            if e & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: factor)
                guard !o else { throw overflow("**") }
                result = r
            }
            e >>= 1
            if e == 0 { return result }
            let (f, o) = factor.multipliedReportingOverflow(by: factor)
            guard !o else { throw overflow("**") }
            factor = f
        }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Python's `==`: numbers across int, float and bool; dicts regardless of order.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        case (.null, .null): return true
        default:
            if let x = number(a), let y = number(b) {
                if case .int(let i) = x, case .int(let j) = y { return i == j }
                return x.double == y.double
            }
            return false
        }
    }

    /// Python's ordering; mixed kinds raise as Python 3 does.
    static func less(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) where !equal(p, q) { return try less(p, q) }
            return x.count < y.count
        default:
            guard let x = number(a), let y = number(b) else {
                throw TemplateError(
                    "'<' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
            }
            if case .int(let i) = x, case .int(let j) = y { return i < j }
            return x.double < y.double
        }
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else {
                throw TemplateError("'in <string>' requires string as left operand, not \(item.pythonTypeName)")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let l): return l.contains { equal($0, item) }
        case .dict(let d):
            guard case .string(let k) = item else { return false }
            return d[k] != nil
        default: throw TemplateError("argument of type '\(container.pythonTypeName)' is not iterable")
        }
    }

    static func compare(_ op: String, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case "==": return equal(a, b)
        case "!=": return !equal(a, b)
        case "<": return try less(a, b)
        case ">": return try less(b, a)
        case "<=": return try !less(b, a)
        case ">=": return try !less(a, b)
        case "in": return try contains(b, a)
        case "not in": return try !contains(b, a)
        default: throw TemplateError("unknown comparison \(op)")
        }
    }
}
