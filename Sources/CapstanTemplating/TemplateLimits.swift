import CapstanBasics

/// The bounds that keep any template, however hostile, from exhausting the stack or memory. Past them
/// compiling or rendering fails with a `TemplateError`, where Python would raise `RecursionError`,
/// `MemoryError` or `OverflowError`; the process never traps.
public enum TemplateLimits {
    /// The deepest nesting the parser accepts: brackets, operator chains (`1+1+…` nests one level per
    /// operand), filter chains and `{% %}` blocks inside each other. Jinja2 under Ansible fails at 100
    /// levels of parentheses or `if` blocks (and near 1,000 chained operators). A level costs about 2 KiB
    /// of stack in a release build (10 KiB in a debug one), so the deepest template fits the 512 KiB a
    /// secondary thread may get.
    public static let maxNesting = 100
    /// The deepest nesting of evaluation while rendering: expressions, blocks, macro calls and includes
    /// together (each may be `maxNesting` deep on its own, but not all of them at once).
    public static let maxRenderDepth = 400
    /// The deepest chain of `{% include %}`s, which catches a template including itself.
    public static let maxIncludeDepth = 32
    /// The deepest nesting `from_json` reads; Python's `json` gives up near 1,000.
    public static let maxJSONDepth = Value.maxJSONDepth
    /// The largest string a template may build or render, in UTF-8 bytes (64 MiB).
    public static let maxStringBytes = 64 << 20
    /// The most items a list built by a template may hold (4 Mi, about 100 MiB of values).
    public static let maxListCount = 4 << 20

    /// Fails unless a string of `bytes` UTF-8 bytes is within `maxStringBytes`; call before building it.
    static func checkString(bytes: Int, _ what: String = "string") throws {
        guard bytes <= maxStringBytes else {
            throw TemplateError("\(what) too large: more than \(maxStringBytes) bytes (the template size limit)")
        }
    }

    /// Fails unless a list of `count` items is within `maxListCount`; call before building it.
    static func checkList(count: Int, _ what: String = "list") throws {
        guard count <= maxListCount else {
            throw TemplateError("\(what) too large: more than \(maxListCount) items (the template size limit)")
        }
    }

    /// Fails when writing `value` out (its `repr`, JSON or YAML) could pass `maxStringBytes`: a list
    /// repeated or doubled shares its items, so a small value in memory can stand for a huge text.
    static func checkWritable(_ value: Value, _ what: String = "value") throws {
        guard writtenSize(value) <= maxStringBytes else {
            throw TemplateError(
                "\(what) too large to write: more than \(maxStringBytes) bytes (the template size limit)")
        }
    }

    /// About how many bytes `value` takes written out, counted without recursion; the count stops soon
    /// after it passes `maxStringBytes`.
    static func writtenSize(_ value: Value) -> Int {
        var size = 0
        var pending = [value]
        while let v = pending.popLast(), size <= maxStringBytes {
            switch v {
            case .string(let s): size += s.utf8.count + 4
            case .list(let l):
                size += 2 + 2 * l.count
                if size <= maxStringBytes { pending += l }
            case .dict(let d):
                size += 2 + 4 * d.count
                for (k, item) in d where size <= maxStringBytes {
                    size += k.utf8.count
                    pending.append(item)
                }
            default: size += 8
            }
        }
        return size
    }

    /// `s` repeated `count` times (nothing for a count below one), failing past `maxStringBytes` before
    /// anything is allocated: what padding and `*` use with counts that come from templates.
    static func repeated(_ s: String, _ count: Int) throws -> String {
        guard count > 0, !s.isEmpty else { return "" }
        try checkString(bytes: try product(s.utf8.count, count))
        return String(repeating: s, count: count)
    }

    /// `a * b` for sizes, failing instead of overflowing.
    static func product(_ a: Int, _ b: Int, _ what: String = "string") throws -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw TemplateError("\(what) too large: the size overflows") }
        return p
    }
}
