import CapstanBasics
import Foundation

/// Jinja2's HTML-minded filters, which Ansible templates meet without autoescaping: `tojson`, `escape`/`e`,
/// `forceescape`, `safe`, `striptags`, and `filesizeformat`.
extension JinjaBuiltinFilters {
    static func registerMarkup(in env: TemplateEnvironment) {
        env.registerFilter("tojson") { args in
            let json = try json(
                args.input,
                Value.JSONStyle(
                    indent: args.argument(0, "indent").flatMap { try? int($0, "indent") }.map { max(0, $0) },
                    sortKeys: true))
            return .string(
                json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
                    .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "'", with: "\\u0027"))
        }
        let escape: TemplateFilter = { args in .string(htmlEscape(string(args.input))) }
        env.registerFilter("escape", escape)
        env.registerFilter("e", escape)
        env.registerFilter("forceescape", escape)
        env.registerFilter("safe") { $0.input }
        env.registerFilter("striptags") { args in
            let s = string(args.input)
            let ns = s as NSString
            let range = NSRange(location: 0, length: ns.length)
            let noComments = try JinjaPythonRegex.compile("<!--.*?-->", dotall: true)
                .stringByReplacingMatches(in: s, range: range, withTemplate: "")
            let noTags = try JinjaPythonRegex.compile("<[^>]*>").stringByReplacingMatches(
                in: noComments, range: NSRange(location: 0, length: (noComments as NSString).length), withTemplate: "")
            let words = JinjaPyStr.split(noTags, sep: nil)
            return .string(unescapeEntities(words.joined(separator: " ")))
        }
        env.registerFilter("filesizeformat") { args in
            guard let size = toFloat(args.input) else { throw TemplateError("could not convert string to float") }
            let binary = args.flag(0, "binary")
            let base = binary ? 1024.0 : 1000.0
            let prefixes =
                binary
                ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
                : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if size == 1 { return "1 Byte" }
            if size < base { return .string("\(Int(exactly: size.rounded(.towardZero)) ?? 0) Bytes") }
            var unit = base
            for prefix in prefixes {
                unit *= base
                if size < unit || prefix == prefixes.last {
                    return .string(String(format: "%.1f %@", base * size / unit, prefix))
                }
            }
            return .string("")
        }
    }

    /// MarkupSafe's escaping of `& < > ' "`.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The common named and numeric entities, as `html.unescape` turns them back into text.
    private static func unescapeEntities(_ s: String) -> String {
        let named = [
            "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#34;": "\"", "&nbsp;": "\u{a0}",
        ]
        var out = s
        for (entity, text) in named { out = out.replacingOccurrences(of: entity, with: text) }
        return out
    }
}
