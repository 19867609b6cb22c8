/// Ansible's `version` test: compares version strings as `LooseVersion` (the default) or `strict`
/// (dotted numbers) do, with operators `<`, `lt`, `<=`, `le`, `>`, `gt`, `>=`, `ge`, `==`, `=`, `eq`,
/// `!=`, `<>`, `ne`.
enum JinjaVersionCompare {
    private enum Part: Equatable {
        case number(Int)
        case text(String)
    }

    static func test(_ args: CallArguments) throws -> Bool {
        let version = args.input.pythonString
        guard let other = args.argument(0, "version") else { throw TemplateError("version value is required") }
        let op = args.argument(1, "operator")?.stringValue ?? "eq"
        let strict = args.flag(2, "strict")
        let type = args.argument(3, "version_type")?.stringValue ?? (strict ? "strict" : "loose")
        guard type == "loose" || type == "strict" else {
            throw TemplateError("Version type '\(type)' is not supported")
        }
        guard !version.isEmpty else { throw TemplateError("Input version value cannot be empty") }
        let order = try compare(parse(version), parse(other.pythonString))
        switch op {
        case "<", "lt": return order < 0
        case "<=", "le": return order <= 0
        case ">", "gt": return order > 0
        case ">=", "ge": return order >= 0
        case "==", "=", "eq": return order == 0
        case "!=", "<>", "ne": return order != 0
        default: throw TemplateError("Invalid operator type (\(op))")
        }
    }

    /// LooseVersion's components: runs of digits as numbers, runs of letters as text, dots dropped.
    private static func parse(_ s: String) -> [Part] {
        var parts: [Part] = []
        var current = ""
        var digits = false
        func flush() {
            guard !current.isEmpty else { return }
            parts.append(digits ? .number(Int(current) ?? 0) : .text(current))
            current = ""
        }
        for c in s {
            if c == "." {
                flush()
            } else if c.isNumber {
                if !digits { flush() }
                digits = true
                current.append(c)
            } else {
                if digits { flush() }
                digits = false
                current.append(c)
            }
        }
        flush()
        return parts
    }

    private static func compare(_ a: [Part], _ b: [Part]) throws -> Int {
        for (x, y) in zip(a, b) where x != y {
            switch (x, y) {
            case (.number(let i), .number(let j)): return i < j ? -1 : 1
            case (.text(let s), .text(let t)): return s < t ? -1 : 1
            default:
                throw TemplateError("Version comparison failed: '<' not supported between instances of 'str' and 'int'")
            }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
