import CapstanBasics
import Collections
import Foundation
import Yams

/// Serialisation, encodings, hashes and regular expressions: `to_json`, `from_yaml`, `b64encode`, `hash`,
/// `regex_replace`, ...
extension JinjaBuiltinFilters {
    static func registerData(in env: TemplateEnvironment) {
        env.registerFilter("to_json") { args in
            let indent = args.keywords["indent"].flatMap { try? int($0, "indent") }.map { max(0, $0) }
            let style = Value.JSONStyle(
                indent: indent, sortKeys: args.keywords["sort_keys"]?.isTruthy ?? false,
                ensureASCII: args.keywords["ensure_ascii"]?.isTruthy ?? true)
            return .string(try json(args.input, style))
        }
        env.registerFilter("to_nice_json") { args in
            let indent = max(0, try int(args.argument(0, "indent"), "indent", default: 4))
            let style = Value.JSONStyle(
                indent: indent, sortKeys: args.argument(1, "sort_keys")?.isTruthy ?? true,
                ensureASCII: args.keywords["ensure_ascii"]?.isTruthy ?? true)
            return .string(try json(args.input, style))
        }
        env.registerFilter("from_json") { args in
            do {
                return try Value(jsonText: string(args.input))
            } catch {
                throw TemplateError("\(error)")
            }
        }
        env.registerFilter("to_yaml") { args in
            let flow = args.keywords["default_flow_style"]
            try TemplateLimits.checkWritable(args.input)
            return .string(
                JinjaYAMLEmitter.dump(
                    args.input, indent: try int(args.keywords["indent"], "indent", default: 2),
                    flowStyle: flow == nil || flow == .null ? .leaves : (flow!.isTruthy ? .always : .never)))
        }
        env.registerFilter("to_nice_yaml") { args in
            let flow = args.keywords["default_flow_style"]
            try TemplateLimits.checkWritable(args.input)
            return .string(
                JinjaYAMLEmitter.dump(
                    args.input, indent: try int(args.argument(0, "indent"), "indent", default: 4),
                    flowStyle: flow == nil || flow == .null ? .never : (flow!.isTruthy ? .always : .never)))
        }
        env.registerFilter("from_yaml") { args in
            guard case .string(let s) = args.input else { return args.input }
            return try JinjaYAMLReader.value(s)
        }
        env.registerFilter("b64encode") { args in
            let data = Data(string(args.input).utf8).base64EncodedString()
            return .string(
                args.keywords["urlsafe"]?.isTruthy == true
                    ? data.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_") : data)
        }
        env.registerFilter("b64decode") { args in
            var s = string(args.input)
            if args.keywords["urlsafe"]?.isTruthy == true {
                s = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            }
            guard let data = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else {
                throw TemplateError("Incorrect padding")
            }
            return .string(String(decoding: data, as: UTF8.self))
        }
        env.registerFilter("hash") { args in
            let kind = string(args.argument(0, "hashtype", default: "sha1"))
            guard let digest = JinjaDigest.hex(kind, Array(args.input.pythonString.utf8)) else {
                throw TemplateError("unsupported hash type \(kind)")
            }
            return .string(digest)
        }
        for kind in ["md5", "sha1"] {
            env.registerFilter(kind) { .string(JinjaDigest.hex(kind, Array($0.input.pythonString.utf8))!) }
        }
        env.registerFilter("checksum") { .string(JinjaDigest.hex("sha1", Array($0.input.pythonString.utf8))!) }
        registerRegex(in: env)
    }

    /// `value` as JSON, refused before writing when the text would pass the template size limit.
    static func json(_ value: Value, _ style: Value.JSONStyle) throws -> String {
        // Each line carries up to `indent` spaces per level; past this the text is mostly padding.
        guard (style.indent ?? 0) <= 1000 else {
            throw TemplateError("indent too large for JSON: \(style.indent ?? 0)")
        }
        try TemplateLimits.checkWritable(value)
        return value.json(style)
    }

    private static func registerRegex(in env: TemplateEnvironment) {
        env.registerFilter("regex_replace") { args in
            let s = string(args.input)
            let regex = try JinjaPythonRegex.compile(
                string(args.argument(0, "pattern")), ignorecase: args.flag(2, "ignorecase"),
                multiline: args.flag(3, "multiline"))
            let replacement = string(args.argument(1, "replacement"))
            let count = try int(args.argument(4, "count"), "count", default: 0)
            let ns = s as NSString
            var out = ""
            var last = 0
            var done = 0
            for m in regex.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
                if count > 0, done >= count { break }
                out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
                out += try JinjaPythonRegex.expand(replacement, match: m, in: ns, regex: regex)
                try TemplateLimits.checkString(bytes: out.utf8.count)
                last = m.range.location + m.range.length
                done += 1
            }
            out += ns.substring(from: last)
            let mandatory = try int(args.argument(5, "mandatory_count"), "mandatory_count", default: 0)
            if mandatory != 0, mandatory != done {
                throw TemplateError(
                    "'\(string(args.argument(0, "pattern")))' should match \(mandatory) times, but matches \(count) times in '\(s)'"
                )
            }
            return .string(out)
        }
        env.registerFilter("regex_search") { args in
            let s = string(args.input)
            let regex = try JinjaPythonRegex.compile(
                string(args.positional.first), ignorecase: args.keywords["ignorecase"]?.isTruthy ?? false,
                multiline: args.keywords["multiline"]?.isTruthy ?? false)
            let ns = s as NSString
            guard let m = regex.firstMatch(in: s, range: NSRange(location: 0, length: ns.length)) else { return .null }
            let groups = Array(args.positional.dropFirst())
            if groups.isEmpty { return .string(ns.substring(with: m.range)) }
            return .list(
                try groups.map { g -> Value in
                    let ref = string(g)
                    if ref.hasPrefix("\\g<"), ref.hasSuffix(">") {
                        let name = String(ref.dropFirst(3).dropLast())
                        if let i = Int(name) {
                            return try JinjaPythonRegex.reference(m, i, in: ns, "no such group").map(Value.string)
                                ?? .null
                        }
                        guard regex.pattern.contains("(?<\(name)>") else { throw TemplateError("no such group") }
                        let r = m.range(withName: name)
                        return r.location == NSNotFound ? .null : .string(ns.substring(with: r))
                    }
                    guard ref.hasPrefix("\\"), let i = Int(ref.dropFirst()) else {
                        throw TemplateError("Unknown argument")
                    }
                    return try JinjaPythonRegex.reference(m, i, in: ns, "no such group").map(Value.string) ?? .null
                })
        }
        env.registerFilter("regex_findall") { args in
            let s = string(args.input)
            let regex = try JinjaPythonRegex.compile(
                string(args.argument(0, "regex")), ignorecase: args.flag(2, "ignorecase"),
                multiline: args.flag(1, "multiline"))
            let ns = s as NSString
            return .list(
                regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
                    switch regex.numberOfCaptureGroups {
                    case 0: return .string(ns.substring(with: m.range))
                    case 1: return .string(JinjaPythonRegex.group(m, 1, in: ns) ?? "")
                    default:
                        return .list(
                            (1...regex.numberOfCaptureGroups).map {
                                .string(JinjaPythonRegex.group(m, $0, in: ns) ?? "")
                            })
                    }
                })
        }
        env.registerFilter("regex_escape") { args in
            var out = ""
            for c in string(args.input).unicodeScalars {
                if "()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}".unicodeScalars.contains(c) { out += "\\" }
                out.unicodeScalars.append(c)
            }
            return .string(out)
        }
    }
}
