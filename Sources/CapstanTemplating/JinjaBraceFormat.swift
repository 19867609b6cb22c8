import CapstanBasics

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
            let (key, path) = splitField(String(pieces[0]))
            var value: Value?
            if key.isEmpty {
                value = auto < args.positional.count ? args.positional[auto] : Value?.none
                auto += 1
            } else if let i = Int(key) {
                value = i < args.positional.count ? args.positional[i] : Value?.none
            } else {
                value = args.keywords[key]
            }
            guard var found = value else {
                throw TemplateError("Replacement index \(key) out of range for positional args tuple")
            }
            for step in path {
                // `.name` is Python attribute access, which dicts, lists and strings do not offer.
                guard step != .null else {
                    throw TemplateError("'\(found.pythonTypeName)' object has no attribute '\(pieces[0])'")
                }
                found = try JinjaAccess.itemValue(found, step)
            }
            out += try formatValue(found, spec: pieces.count > 1 ? String(pieces[1]) : "")
        }
        return out
    }

    /// `name.attr[0][key]` into the argument name and the items to look up in turn (`.attr` steps as null).
    private static func splitField(_ field: String) -> (String, [Value]) {
        guard let start = field.firstIndex(where: { $0 == "." || $0 == "[" }) else { return (field, []) }
        var path: [Value] = []
        var rest = field[start...]
        while let c = rest.first {
            rest = rest.dropFirst()
            let end = rest.firstIndex(where: { c == "[" ? $0 == "]" : ($0 == "." || $0 == "[") }) ?? rest.endIndex
            let part = String(rest[..<end])
            path.append(c == "[" ? Int(part).map(Value.int) ?? .string(part) : .null)
            rest = rest[end...]
            if c == "[", rest.first == "]" { rest = rest.dropFirst() }
        }
        return (String(field[..<start]), path)
    }

    /// Python's format-spec mini-language: `[[fill]align][sign][0][width][,][.precision][type]`.
    static func formatValue(_ value: Value, spec: String) throws -> String {
        var chars = Array(spec)[...]
        var fill: Character = " "
        var align: Character?
        if chars.count >= 2, "<>^=".contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst()
            align = chars.removeFirst()
        } else if let f = chars.first, "<>^=".contains(f) {
            align = chars.removeFirst()
        }
        var sign: Character = "-"
        if let f = chars.first, "+- ".contains(f) { sign = chars.removeFirst() }
        if chars.first == "0" {
            chars.removeFirst()
            if align == nil {
                fill = "0"
                align = "="
            }
        }
        var widthText = ""
        while let d = chars.first, d.isNumber { widthText.append(chars.removeFirst()) }
        var grouping: Character?
        if let g = chars.first, g == "," || g == "_" { grouping = chars.removeFirst() }
        var precision: Int?
        if chars.first == "." {
            chars.removeFirst()
            var digits = ""
            while let d = chars.first, d.isNumber { digits.append(chars.removeFirst()) }
            precision = Int(digits)
            // Python refuses precisions past this too ("precision too big"); printf would allocate them.
            guard (precision ?? 0) <= 1000 else { throw TemplateError("precision too big") }
        }
        let type = chars.popFirst()
        guard chars.isEmpty else { throw TemplateError("Invalid format specifier '\(spec)'") }
        // Booleans print as True/False unless a numeric type is asked for.
        let number = value.isBool && type == nil ? nil : JinjaPythonOperators.number(value)
        var body: String
        var negative = false
        switch (type, number) {
        case (nil, nil), ("s", _):
            guard type == nil || value.stringValue != nil else {
                throw TemplateError("Unknown format code 's' for object of type '\(value.pythonTypeName)'")
            }
            body = value.pythonString
            if let precision { body = String(body.prefix(precision)) }
        case (nil, .int(let i)?), ("d", .int(let i)?), ("n", .int(let i)?):
            negative = i < 0
            body = String(i.magnitude)
        case ("x", .int(let i)?), ("X", .int(let i)?), ("o", .int(let i)?), ("b", .int(let i)?):
            negative = i < 0
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            body = String(i.magnitude, radix: radix, uppercase: type == "X")
        case ("f", let n?), ("F", let n?), ("e", let n?), ("E", let n?), ("g", let n?), ("%", let n?):
            var d = n.double
            if type == "%" { d *= 100 }
            negative = d < 0 || (d == 0 && d.sign == .minus)
            let letter = type == "%" ? "f" : String(type!)
            body = String(format: "%.\(precision ?? 6)\(letter)", abs(d)) + (type == "%" ? "%" : "")
        case (nil, .float(let d)?):
            negative = d < 0
            body = precision.map { String(format: "%.\($0)g", abs(d)) } ?? PythonFloat.repr(abs(d))
        default:
            throw TemplateError(
                "Unknown format code '\(type.map(String.init) ?? "")' for object of type '\(value.pythonTypeName)'")
        }
        if let grouping, number != nil {
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            var digits = Array(parts[0])
            var grouped = ""
            while digits.count > 3 {
                grouped = String(grouping) + String(digits.suffix(3)) + grouped
                digits.removeLast(3)
            }
            body = String(digits) + grouped + (parts.count > 1 ? "." + parts[1] : "")
        }
        let signText = negative ? "-" : (number != nil && sign == "+" ? "+" : (number != nil && sign == " " ? " " : ""))
        let width = Int(widthText) ?? 0
        let length = signText.count + body.count
        guard length < width else { return signText + body }
        let padding = width - length
        let pad = { (count: Int) in try TemplateLimits.repeated(String(fill), count) }
        switch align ?? (number != nil ? ">" : "<") {
        case "<": return signText + body + (try pad(padding))
        case "^": return try pad(padding / 2) + signText + body + (try pad(padding - padding / 2))
        case "=": return signText + (try pad(padding)) + body
        default: return try pad(padding) + signText + body
        }
    }
}

extension Value {
    fileprivate var isBool: Bool {
        if case .bool = self { return true }
        return false
    }
}
