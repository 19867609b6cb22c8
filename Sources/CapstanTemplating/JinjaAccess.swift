import CapstanBasics

/// Attribute, item and slice access on values, as Jinja2's `getattr`/`getitem` see Python objects.
enum JinjaAccess {
    static func attribute(_ base: Value, _ name: String) -> JinjaResolved {
        if case .dict(let d) = base, let v = d[name] { return .value(v) }
        return .undefined("object of type '\(base.pythonTypeName)' has no attribute '\(name)'")
    }

    /// `item`, failing with the undefined message when there is no such item or attribute.
    static func itemValue(_ base: Value, _ index: Value) throws -> Value {
        guard case .value(let v) = try item(base, index) else {
            if case .undefined(let message) = try item(base, index) { throw TemplateError(message, isUndefined: true) }
            throw TemplateError(JinjaRenderer.emptyMessage, isUndefined: true)
        }
        return v
    }

    static func item(_ base: Value, _ index: Value) throws -> JinjaResolved {
        switch (base, index) {
        case (.dict(let d), .string(let k)):
            if let v = d[k] { return .value(v) }
        case (.dict(let d), _):
            if let v = d[index.pythonString] { return .value(v) }
        case (.list(let l), _):
            if let i = intIndex(index), let k = normalized(i, count: l.count) { return .value(l[k]) }
        case (.string(let s), _):
            if let i = intIndex(index) {
                let scalars = Array(s.unicodeScalars)
                if let k = normalized(i, count: scalars.count) { return .value(.string(String(scalars[k]))) }
            }
        default: break
        }
        if case .string(let name) = index, case .dict = base {
            return .undefined("object of type '\(base.pythonTypeName)' has no attribute '\(name)'")
        }
        return .undefined("object of type '\(base.pythonTypeName)' has no attribute \(index.pythonRepr)")
    }

    private static func intIndex(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private static func normalized(_ i: Int, count: Int) -> Int? {
        let k = i < 0 ? i + count : i
        return k >= 0 && k < count ? k : nil
    }

    static func slice(_ base: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        func bound(_ v: Value?) throws -> Int? {
            guard let v, v != .null else { return nil }
            guard let i = intIndex(v) else { throw TemplateError("slice indices must be integers or None") }
            return i
        }
        let indices = try sliceIndices(
            count: count(base), start: bound(start), stop: bound(stop), step: bound(step) ?? 1)
        switch base {
        case .list(let l): return .list(indices.map { l[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            var out = String.UnicodeScalarView()
            for k in indices { out.append(scalars[k]) }
            return .string(String(out))
        default: throw TemplateError("'\(base.pythonTypeName)' object is not subscriptable")
        }
    }

    private static func count(_ v: Value) -> Int {
        switch v {
        case .list(let l): return l.count
        case .string(let s): return s.unicodeScalars.count
        default: return 0
        }
    }

    /// Python's `slice.indices` walked out into the selected positions.
    static func sliceIndices(count n: Int, start: Int?, stop: Int?, step: Int) throws -> [Int] {
        guard step != 0 else { throw TemplateError("slice step cannot be zero") }
        func clamp(_ v: Int?, _ dflt: Int, low: Int, high: Int) -> Int {
            guard var x = v else { return dflt }
            if x < 0 { x += n }
            return min(max(x, low), high)
        }
        var out: [Int] = []
        if step > 0 {
            var i = clamp(start, 0, low: 0, high: n)
            let end = clamp(stop, n, low: 0, high: n)
            while i < end {
                out.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            var i = clamp(start, n - 1, low: -1, high: n - 1)
            let end = clamp(stop, -1, low: -1, high: n - 1)
            while i > end {
                out.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return out
    }
}
