import CapstanBasics
import Foundation

/// Ansible filters that roles lean on in templates: `extract`, `to_uuid`, `comment`, `product`.
extension JinjaBuiltinFilters {
    static func registerAnsibleExtras(in env: TemplateEnvironment) {
        env.registerFilter("extract") { args in
            guard let container = args.argument(0, "container") else {
                throw TemplateError("extract requires a container")
            }
            var keys = [args.input]
            switch args.argument(1, "morekeys") {
            case .list(let more)?: keys += more
            case .some(let key) where key != .null: keys.append(key)
            default: break
            }
            var value = container
            for key in keys {
                value = try JinjaAccess.itemValue(value, key)
            }
            return value
        }
        env.registerFilter("to_uuid") { args in
            let namespace = string(args.argument(0, "namespace", default: "361E6D51-FAEC-444A-9079-341386DA8E2E"))
            guard let uuid = uuid5(namespace: namespace, name: string(args.input)) else {
                throw TemplateError("Invalid value '\(namespace)' for 'namespace'")
            }
            return .string(uuid)
        }
        env.registerFilter("comment") { try comment($0) }
        env.registerFilter("product") { args in
            var result: [[Value]] = [[]]
            let lists = try ([args.input] + args.positional).map(JinjaRenderer.iterate)
            let count = try lists.reduce(1) { try TemplateLimits.product($0, $1.count, "product") }
            try TemplateLimits.checkList(count: try TemplateLimits.product(count, lists.count, "product"), "product")
            for list in lists {
                result = result.flatMap { prefix in list.map { prefix + [$0] } }
            }
            return .list(result.map(Value.list))
        }
    }

    /// RFC 4122 version 5: SHA-1 of the namespace's bytes and the name, with version and variant bits set.
    static func uuid5(namespace: String, name: String) -> String? {
        let hex = namespace.lowercased().filter { $0 != "-" && $0 != "{" && $0 != "}" }
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let b = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(b)
            index = next
        }
        var digest = Array(JinjaDigest.sha1(bytes + Array(name.utf8)).prefix(16))
        digest[6] = (digest[6] & 0x0f) | 0x50
        digest[8] = (digest[8] & 0x3f) | 0x80
        let h = digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { r in
            String(h[h.index(h.startIndex, offsetBy: r.lowerBound)..<h.index(h.startIndex, offsetBy: r.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// Ansible's `comment`: the text framed in a comment style's prefix, decoration and postfix lines.
    private static func comment(_ args: CallArguments) throws -> Value {
        let styles: [String: [String: String]] = [
            "plain": ["decoration": "# "], "erlang": ["decoration": "% "], "c": ["decoration": "// "],
            "cblock": ["beginning": "/*", "decoration": " * ", "end": " */"],
            "xml": ["beginning": "<!--", "decoration": " - ", "end": "-->"],
        ]
        let styleName = string(args.argument(0, "style", default: "plain"))
        guard let style = styles[styleName] else { throw TemplateError("Invalid style '\(styleName)'.") }
        let prepostfix = args.keywords["decoration"].map { string($0) } ?? style["decoration"]!
        let trimmed = JinjaPyStr.strip(prepostfix, chars: nil, left: false)
        var p: [String: String] = [
            "newline": "\n", "beginning": "", "prefix": trimmed, "prefix_count": "1", "decoration": "",
            "postfix": trimmed, "postfix_count": "1", "end": "",
        ]
        for (k, v) in style { p[k] = v }
        for (k, v) in args.keywords { p[k] = string(v) }
        let newline = p["newline"]!
        let decoration = p["decoration"]!
        var out = ""
        if !p["beginning"]!.isEmpty { out += p["beginning"]! + newline }
        if !p["prefix"]!.isEmpty {
            let unit = p["prefix"] != newline ? p["prefix"]! + newline : newline
            out += try TemplateLimits.repeated(unit, Int(p["prefix_count"] ?? "") ?? 1)
        }
        let text = decoration + string(args.input).replacingOccurrences(of: newline, with: newline + decoration)
        out += text.replacingOccurrences(
            of: decoration + newline, with: JinjaPyStr.strip(decoration, chars: nil, left: false) + newline)
        out += try TemplateLimits.repeated(newline + (p["postfix"] ?? ""), Int(p["postfix_count"] ?? "") ?? 1)
        if !p["end"]!.isEmpty { out += newline + p["end"]! }
        return .string(out)
    }
}
