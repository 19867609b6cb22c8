import CapstanBasics
import Collections
import Foundation

/// The Python methods Ansible users call on strings, mappings and lists (`s.split(',')`, `d.items()`).
/// Mutating methods (`append`, `update`) are left out: templates should not change variables.
enum JinjaMethods {
    static func call(_ receiver: Value, _ name: String, _ args: CallArguments) throws -> Value {
        switch receiver {
        case .string(let s): return try stringMethod(s, name, args)
        case .dict(let d): return try dictMethod(d, name, args)
        case .list(let l): return try listMethod(l, name, args)
        default: break
        }
        throw noMethod(receiver, name)
    }

    static func noMethod(_ receiver: Value, _ name: String) -> TemplateError {
        TemplateError("object of type '\(receiver.pythonTypeName)' has no attribute '\(name)'", isUndefined: true)
    }

    private static func string(_ args: CallArguments, _ index: Int, _ name: String) throws -> String? {
        guard let v = args.argument(index, name), v != .null else { return nil }
        guard case .string(let s) = v else { throw TemplateError("must be str or None, not \(v.pythonTypeName)") }
        return s
    }

    private static func stringMethod(_ s: String, _ name: String, _ args: CallArguments) throws -> Value {
        switch name {
        case "lower": return .string(s.lowercased())
        case "upper": return .string(s.uppercased())
        case "strip", "lstrip", "rstrip":
            return .string(
                JinjaPyStr.strip(
                    s, chars: try string(args, 0, "chars"), left: name != "rstrip", right: name != "lstrip"))
        case "split", "rsplit":
            let max =
                args.argument(1, "maxsplit").flatMap { JinjaPythonOperators.number($0) }.flatMap {
                    Int(exactly: $0.double.rounded(.towardZero))
                } ?? -1
            return .list(
                JinjaPyStr.split(s, sep: try string(args, 0, "sep"), maxsplit: max, fromRight: name == "rsplit").map {
                    .string($0)
                })
        case "splitlines": return .list(JinjaPyStr.splitlines(s).map { .string($0) })
        case "startswith", "endswith":
            let candidates: [Value]
            if case .list(let l) = args.argument(0, "prefix") ?? .null {
                candidates = l
            } else {
                candidates = [args.argument(0, "prefix") ?? .null]
            }
            return .bool(
                candidates.contains { c in
                    guard case .string(let p) = c else { return false }
                    return name == "startswith"
                        ? s.unicodeScalars.starts(with: p.unicodeScalars)
                        : s.unicodeScalars.reversed().starts(with: p.unicodeScalars.reversed())
                })
        case "replace":
            guard let old = try string(args, 0, "old"), let new = try string(args, 1, "new") else {
                throw TemplateError("replace expected at least 2 arguments")
            }
            let count =
                args.argument(2, "count").flatMap { JinjaPythonOperators.number($0) }.flatMap {
                    Int(exactly: $0.double.rounded(.towardZero))
                } ?? -1
            return .string(JinjaPyStr.replace(s, old, new, count: count))
        case "join":
            let items = try JinjaRenderer.iterate(args.argument(0, "iterable") ?? .list([]))
            return .string(
                try items.map { item -> String in
                    guard case .string(let t) = item else {
                        throw TemplateError("sequence item: expected str instance, \(item.pythonTypeName) found")
                    }
                    return t
                }.joined(separator: s))
        case "capitalize": return .string(JinjaPyStr.capitalize(s))
        case "title": return .string(JinjaPyStr.pythonTitle(s))
        case "find", "index":
            let sub = try string(args, 0, "sub") ?? ""
            let found = JinjaPyStr.find(s, sub)
            if found < 0, name == "index" { throw TemplateError("substring not found") }
            return .int(found)
        case "count": return .int(JinjaPyStr.count(s, try string(args, 0, "sub") ?? ""))
        case "isdigit":
            return .bool(
                !s.isEmpty
                    && s.unicodeScalars.allSatisfy {
                        $0.properties.numericType == .decimal || $0.properties.numericType == .digit
                    })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum":
            return .bool(
                !s.isEmpty
                    && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isWhitespace })
        case "islower": return .bool(s.contains { $0.isLetter } && s.lowercased() == s)
        case "isupper": return .bool(s.contains { $0.isLetter } && s.uppercased() == s)
        case "zfill":
            let width =
                args.argument(0, "width").flatMap { JinjaPythonOperators.number($0) }.flatMap {
                    Int(exactly: $0.double.rounded(.towardZero))
                } ?? 0
            let n = s.unicodeScalars.count
            guard n < width else { return .string(s) }
            let zeros = try TemplateLimits.repeated("0", width - n)
            if let f = s.first, f == "-" || f == "+" { return .string(String(f) + zeros + s.dropFirst()) }
            return .string(zeros + s)
        case "format": return .string(try JinjaBraceFormat.format(s, args))
        default: throw noMethod(.string(s), name)
        }
    }

    private static func dictMethod(_ d: OrderedDictionary<String, Value>, _ name: String, _ args: CallArguments) throws
        -> Value
    {
        switch name {
        case "items": return .list(d.map { .list([.string($0.key), $0.value]) })
        case "keys": return .list(d.keys.map { .string($0) })
        case "values": return .list(Array(d.values))
        case "get":
            let key = args.argument(0, "key") ?? .null
            return d[key.stringValue ?? key.pythonString] ?? args.argument(1, "default") ?? .null
        case "copy": return .dict(d)
        case "cycle" where d["index0"] != nil && d["revindex0"] != nil:
            guard case .int(let index) = d["index0"]!, !args.positional.isEmpty else {
                throw TemplateError("no items for cycling given")
            }
            return args.positional[index % args.positional.count]
        default: throw noMethod(.dict(d), name)
        }
    }

    private static func listMethod(_ l: [Value], _ name: String, _ args: CallArguments) throws -> Value {
        switch name {
        case "index":
            let item = args.argument(0, "value") ?? .null
            guard let i = l.firstIndex(where: { JinjaPythonOperators.equal($0, item) }) else {
                throw TemplateError("\(item.pythonRepr) is not in list")
            }
            return .int(i)
        case "count": return .int(l.filter { JinjaPythonOperators.equal($0, args.argument(0, "value") ?? .null) }.count)
        case "copy": return .list(l)
        default: throw noMethod(.list(l), name)
        }
    }
}
