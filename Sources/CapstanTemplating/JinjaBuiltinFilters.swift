import CapstanBasics
import Collections
import Foundation

/// Jinja2's built-in filters and Ansible's core filters. `default`, `d` and `mandatory` are handled by the
/// renderer because they must see undefined values.
enum JinjaBuiltinFilters {
    static func register(in env: TemplateEnvironment) {
        registerStrings(in: env)
        registerCollections(in: env)
        registerSelection(in: env)
        registerData(in: env)
        registerMath(in: env)
        registerAnsibleExtras(in: env)
        registerSizes(in: env)
        registerMarkup(in: env)
        registerNetwork(in: env)
        registerWeb(in: env)
    }

    static func string(_ v: Value?) -> String { v?.pythonString ?? "" }

    static func int(_ v: Value?, _ what: String, default fallback: Int? = nil) throws -> Int {
        guard let v, v != .null else {
            if let fallback { return fallback }
            throw TemplateError("\(what) is required")
        }
        return try JinjaBuiltinFunctions.integer(v, what)
    }

    /// Ansible's `bool` filter: `yes/on/true/1` and `no/off/false/0` in any case, booleans and 0/1.
    static func ansibleBool(_ v: Value) throws -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i == 1
        case .float(let d): return d == 1
        case .string(let s):
            let l = s.lowercased()
            if ["yes", "on", "true", "1"].contains(l) { return true }
            return false
        default: return false
        }
    }

    private static func registerStrings(in env: TemplateEnvironment) {
        // As pipes these three see undefined values and are handled by the renderer; these table entries serve
        // `map('default', ...)` and the like, where the input is always defined.
        let fallback: TemplateFilter = { args in
            args.flag(1, "boolean") && !args.input.isTruthy
                ? args.argument(0, "default_value") ?? .string("") : args.input
        }
        env.registerFilter("default", fallback)
        env.registerFilter("d", fallback)
        env.registerFilter("mandatory") { $0.input }
        env.registerFilter("lower") { .string(string($0.input).lowercased()) }
        env.registerFilter("upper") { .string(string($0.input).uppercased()) }
        env.registerFilter("capitalize") { .string(JinjaPyStr.capitalize(string($0.input))) }
        env.registerFilter("title") { .string(jinjaTitle(string($0.input))) }
        env.registerFilter("trim") { args in
            .string(JinjaPyStr.strip(string(args.input), chars: args.argument(0, "chars").flatMap(\.stringValue)))
        }
        env.registerFilter("replace") { args in
            let count = try int(args.argument(2, "count"), "count", default: -1)
            return .string(
                JinjaPyStr.replace(
                    string(args.input), string(args.argument(0, "old")), string(args.argument(1, "new")), count: count))
        }
        env.registerFilter("split") { args in
            let sep = args.argument(0, "sep").flatMap { $0 == .null ? nil : $0.pythonString }
            let max = try int(args.argument(1, "maxsplit"), "maxsplit", default: -1)
            return .list(JinjaPyStr.split(string(args.input), sep: sep, maxsplit: max).map(Value.string))
        }
        env.registerFilter("string") { .string($0.input.pythonString) }
        env.registerFilter("int") { args in
            let fallback = args.argument(0, "default") ?? .int(0)
            let base = try int(args.argument(1, "base"), "base", default: 10)
            return try toInt(args.input, base: base) ?? fallback
        }
        env.registerFilter("float") { args in
            toFloat(args.input).map(Value.float) ?? args.argument(0, "default") ?? .float(0)
        }
        env.registerFilter("bool") { .bool(try ansibleBool($0.input)) }
        env.registerFilter("center") { args in
            let s = string(args.input)
            let width = try int(args.argument(0, "width"), "width", default: 80)
            let n = s.unicodeScalars.count
            guard n < width else { return .string(s) }
            let left = (width - n) / 2 + ((width - n) & width & 1)
            return .string(try TemplateLimits.repeated(" ", left) + s + TemplateLimits.repeated(" ", width - n - left))
        }
        env.registerFilter("indent") { args in
            var width = "    "
            if let w = args.argument(0, "width") {
                width = try w.stringValue ?? TemplateLimits.repeated(" ", (try? int(w, "width")) ?? 4)
            }
            let text = string(args.input)
            // Each line gets the indent: bound the result before building it.
            let lines = text.utf8.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
            try TemplateLimits.checkString(
                bytes: text.utf8.count + TemplateLimits.product(lines, width.utf8.count), "indented string")
            return .string(indent(text, width, first: args.flag(1, "first"), blank: args.flag(2, "blank")))
        }
        env.registerFilter("truncate") { args in
            let s = Array(string(args.input).unicodeScalars)
            let length = try int(args.argument(0, "length"), "length", default: 255)
            let end = Array(string(args.argument(2, "end", default: "...")).unicodeScalars)
            let leeway = try int(args.argument(3, "leeway"), "leeway", default: 5)
            if s.count <= length + leeway {
                return args.input.stringValue.map(Value.string) ?? .string(String(String.UnicodeScalarView(s)))
            }
            let head = String(String.UnicodeScalarView(s.prefix(max(0, length - end.count))))
            let tail = String(String.UnicodeScalarView(end))
            if args.flag(1, "killwords") { return .string(head + tail) }
            return .string((JinjaPyStr.split(head, sep: " ", maxsplit: 1, fromRight: true).first ?? head) + tail)
        }
        env.registerFilter("wordcount") { args in
            let s = string(args.input)
            return .int(
                try JinjaPythonRegex.compile("\\w+").numberOfMatches(
                    in: s, range: NSRange(location: 0, length: (s as NSString).length)))
        }
        env.registerFilter("quote") { .string(shellQuote(string($0.input))) }
        env.registerFilter("format") { args in
            let format = string(args.input)
            return .string(try JinjaPercentFormat.format(format, .list(args.positional)))
        }
        env.registerFilter("ternary") { args in
            if args.input == .null, let none = args.argument(2, "none_val"), none != .null { return none }
            return args.input.isTruthy ? args.argument(0, "true_val") ?? .null : args.argument(1, "false_val") ?? .null
        }
        env.registerFilter("type_debug") { .string($0.input.pythonTypeName) }
        env.registerFilter("basename") { .string(JinjaPathFunctions.basename(string($0.input))) }
        env.registerFilter("dirname") { .string(JinjaPathFunctions.dirname(string($0.input))) }
        env.registerFilter("path_join") { args in
            let parts = try JinjaRenderer.iterate(args.input).map { string($0) }
            return .string(JinjaPathFunctions.join(parts))
        }
        env.registerFilter("splitext") { args in
            let (root, ext) = JinjaPathFunctions.splitext(string(args.input))
            return .list([.string(root), .string(ext)])
        }
        env.registerFilter("urlencode") { args in
            switch args.input {
            case .dict(let d):
                let plus: (String) -> String = { urlQuote($0).replacingOccurrences(of: "%20", with: "+") }
                return .string(d.map { plus($0.key) + "=" + plus($0.value.pythonString) }.joined(separator: "&"))
            default: return .string(urlQuote(string(args.input), safe: "/"))
            }
        }
    }

    /// Jinja2's `title`: a capital after each run of spaces, dashes and opening brackets.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atStart = true
        for c in s.unicodeScalars {
            let boundary = JinjaPyStr.isSpace(c) || "-({[<".unicodeScalars.contains(c)
            if boundary {
                out.unicodeScalars.append(c)
                atStart = true
            } else {
                out += atStart ? String(c).uppercased() : String(c).lowercased()
                atStart = false
            }
        }
        return out
    }

    /// Jinja2's `int` filter: `int(value, base)` for strings, `int(value)` otherwise, then `int(float(value))`;
    /// nil when both fail (the caller's default). As in Jinja2, an invalid base (not 0 or 2...36) fails the
    /// first attempt, and a float infinity is an error while the string "inf" gives the default. A whole
    /// number past 64 bits is an overflow error, where Python would return a big integer.
    static func toInt(_ v: Value, base: Int = 10) throws -> Value? {
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return d.isNaN ? nil : .int(try truncated(d))
        case .string(let s):
            if let i = try parseInt(s, base: base) { return .int(i) }
            guard let d = toFloat(v), d.isFinite else { return nil }
            return .int(try truncated(d))
        default: return nil
        }
    }

    /// The value of an ASCII digit or letter as a digit in bases up to 36.
    private static func digitValue(_ c: Character) -> Int? {
        guard let a = c.asciiValue else { return nil }
        if JinjaLexer.isDigit(a) { return Int(a - UInt8(ascii: "0")) }
        if JinjaLexer.isLetter(a) { return Int((a | 0x20) - UInt8(ascii: "a")) + 10 }
        return nil
    }

    /// Python's `int(d)` for a float that is not NaN.
    static func truncated(_ d: Double) throws -> Int {
        guard d.isFinite else { throw TemplateError("cannot convert float infinity to integer") }
        guard let i = Int(exactly: d.rounded(.towardZero)) else { throw JinjaPythonOperators.overflow("int") }
        return i
    }

    /// Python's `int(s, base)`: nil when `s` is not a number in that base or the base is invalid; an
    /// overflow error when it is one but does not fit in 64 bits.
    static func parseInt(_ s: String, base: Int) throws -> Int? {
        guard base == 0 || (2...36).contains(base) else { return nil }
        var t = JinjaPyStr.strip(s, chars: nil).replacingOccurrences(of: "_", with: "").lowercased()
        var negative = false
        if t.hasPrefix("-") || t.hasPrefix("+") {
            negative = t.hasPrefix("-")
            t.removeFirst()
        }
        var radix = base
        for (prefix, prefixRadix) in [("0x", 16), ("0o", 8), ("0b", 2)] where t.hasPrefix(prefix) {
            if base == 0 || base == prefixRadix {
                radix = prefixRadix
                t.removeFirst(2)
            }
        }
        if radix == 0 {
            // Base 0 reads decimal without leading zeros, as Python source does.
            guard !(t.count > 1 && t.hasPrefix("0") && t.contains(where: { $0 != "0" })) else { return nil }
            radix = 10
        }
        guard !t.isEmpty, t.allSatisfy({ digitValue($0).map { $0 < radix } ?? false }) else { return nil }
        guard let magnitude = UInt64(t, radix: radix) else { throw JinjaPythonOperators.overflow("int") }
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { throw JinjaPythonOperators.overflow("int") }
            return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { throw JinjaPythonOperators.overflow("int") }
        return Int(magnitude)
    }

    static func toFloat(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d
        case .string(let s):
            let t = JinjaPyStr.strip(s, chars: nil).lowercased()
            if ["inf", "+inf", "infinity"].contains(t) { return .infinity }
            if ["-inf", "-infinity"].contains(t) { return -.infinity }
            if t == "nan" { return .nan }
            guard !t.isEmpty, t.allSatisfy({ "0123456789.e+-_".contains($0) }) else { return nil }
            return Double(t.replacingOccurrences(of: "_", with: ""))
        default: return nil
        }
    }

    static func indent(_ s: String, _ pad: String, first: Bool, blank: Bool) -> String {
        var lines = s.components(separatedBy: "\n")
        for i in lines.indices where (i > 0 || first) && (blank || !JinjaPyStr.strip(lines[i], chars: nil).isEmpty) {
            lines[i] = pad + lines[i]
        }
        return lines.joined(separator: "\n")
    }

    /// Python's `shlex.quote`.
    static func shellQuote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        let safe = s.unicodeScalars.allSatisfy { c in
            (c.value < 128 && (JinjaLexer.isLetter(UInt8(c.value)) || JinjaLexer.isDigit(UInt8(c.value))))
                || "@%+=:,./-_".unicodeScalars.contains(c)
        }
        if safe { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }

    static func urlQuote(_ s: String, safe: String = "") -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 128, c.isLetter || c.isNumber || "_.-~".contains(c) || safe.contains(c) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}
