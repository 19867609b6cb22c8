/// Python's `str.format` for the common cases: `{}`, `{0}`, `{name}`, `{{`/`}}` escapes, and `{:>8}`-style
/// alignment with a width.
enum JinjaBraceFormat {
    static func format(_ template: String, _ args: CallArguments) throws -> String {
        var out = ""
        var auto = 0
        var chars = Array(template)[...]
        while let c = chars.popFirst() {
            if c == "}" {
                guard chars.first == "}" else { throw TemplateError("Single '}' encountered in format string") }
                chars.removeFirst()
                out += "}"
                continue
            }
            guard c == "{" else {
                out.append(c)
                continue
            }
            if chars.first == "{" {
                chars.removeFirst()
                out += "{"
                continue
            }
            var field = ""
            while let d = chars.popFirst(), d != "}" { field.append(d) }
            let pieces = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pieces[0])
            let value: Value?
            if key.isEmpty {
                value = auto < args.positional.count ? args.positional[auto] : Value?.none
                auto += 1
            } else if let i = Int(key) {
                value = i < args.positional.count ? args.positional[i] : Value?.none
            } else {
                value = args.keywords[key]
            }
            guard let value else {
                throw TemplateError("Replacement index \(key) out of range for positional args tuple")
            }
            out += pad(
                value.pythonString, spec: pieces.count > 1 ? String(pieces[1]) : "",
                isNumber: JinjaPythonOperators.number(value) != nil)
        }
        return out
    }

    private static func pad(_ s: String, spec: String, isNumber: Bool) -> String {
        var spec = Substring(spec)
        var align: Character = isNumber ? ">" : "<"
        if let f = spec.first, "<>^".contains(f) {
            align = f
            spec = spec.dropFirst()
        }
        guard let width = Int(spec), s.count < width else { return s }
        let total = width - s.count
        switch align {
        case ">": return String(repeating: " ", count: total) + s
        case "^": return String(repeating: " ", count: total / 2) + s + String(repeating: " ", count: total - total / 2)
        default: return s + String(repeating: " ", count: total)
        }
    }
}
