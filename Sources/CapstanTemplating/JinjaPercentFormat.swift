import CapstanBasics
import Foundation

/// Python's `%` string formatting for the conversions templates use: `%s %r %d %i %f %x %%`, with
/// optional width and precision.
enum JinjaPercentFormat {
    static func format(_ format: String, _ argument: Value) throws -> String {
        var args: [Value]
        if case .list(let l) = argument { args = l } else { args = [argument] }
        var out = ""
        var chars = Array(format)[...]
        while let c = chars.popFirst() {
            guard c == "%" else {
                out.append(c)
                continue
            }
            var spec = ""
            while let d = chars.first, "-+ 0123456789.#".contains(d) {
                spec.append(d)
                chars.removeFirst()
            }
            guard let conversion = chars.popFirst() else { throw TemplateError("incomplete format") }
            if conversion == "%" {
                out += "%"
                continue
            }
            guard !args.isEmpty else { throw TemplateError("not enough arguments for format string") }
            let arg = args.removeFirst()
            out += try convert(arg, conversion, spec)
        }
        if !args.isEmpty, case .list = argument {
            throw TemplateError("not all arguments converted during string formatting")
        }
        return out
    }

    private static func convert(_ arg: Value, _ conversion: Character, _ spec: String) throws -> String {
        let parts = spec.split(separator: ".", omittingEmptySubsequences: false)
        let flags = String(parts[0].prefix { "-+ 0#".contains($0) })
        let width = Int(parts[0].dropFirst(flags.count)) ?? 0
        let precision = parts.count > 1 ? Int(parts[1]) ?? 0 : nil
        // Python refuses these too ("width too big", "precision too big"); printf would allocate them.
        guard width <= TemplateLimits.maxStringBytes else { throw TemplateError("width too big") }
        guard (precision ?? 0) <= 1000 else { throw TemplateError("precision too big") }
        var body: String
        switch conversion {
        case "s": body = arg.pythonString
        case "r": body = arg.pythonRepr
        case "d", "i":
            guard let n = JinjaPythonOperators.number(arg) else {
                throw TemplateError("%d format: a real number is required, not \(arg.pythonTypeName)")
            }
            switch n {
            case .int(let i): body = String(i)
            case .float(let d):
                body = Int(exactly: d.rounded(.towardZero)).map(String.init) ?? String(format: "%.0f", d)
            }
            if flags.contains("+"), !body.hasPrefix("-") { body = "+" + body }
        case "f", "F":
            guard let n = JinjaPythonOperators.number(arg) else {
                throw TemplateError("must be real number, not \(arg.pythonTypeName)")
            }
            body = String(format: "%.\(precision ?? 6)f", n.double)
        case "x", "X", "o":
            guard let n = JinjaPythonOperators.number(arg), case .int(let i) = n else {
                throw TemplateError("%x format: an integer is required")
            }
            body = String(i, radix: conversion == "o" ? 8 : 16, uppercase: conversion == "X")
        default: throw TemplateError("unsupported format character '\(conversion)'")
        }
        if let precision, conversion == "s" || conversion == "r" { body = String(body.prefix(precision)) }
        if body.count < width {
            let pad = try TemplateLimits.repeated(
                flags.contains("0") && !flags.contains("-") ? "0" : " ", width - body.count)
            body = flags.contains("-") ? body + pad : pad + body
        }
        return body
    }
}
