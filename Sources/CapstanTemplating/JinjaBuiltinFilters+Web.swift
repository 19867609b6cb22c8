import CapstanBasics
import Collections
import Foundation

/// `urlsplit` (Python's `urllib.parse.urlsplit` as a mapping), `password_hash` (passlib's crypt
/// formats), community.general's `dict` and `json_query`, under their short and full names.
extension JinjaBuiltinFilters {
    static func registerWeb(in env: TemplateEnvironment) {
        env.registerFilter("urlsplit") { args in
            let parts = try JinjaURLSplit(args.input.pythonString).fields
            guard let q = args.argument(0, "query"), q != .null, !q.pythonString.isEmpty else { return .dict(parts) }
            guard let field = parts[q.pythonString] else {
                throw TemplateError("urlsplit: unknown URL component: \(q.pythonString)")
            }
            return field
        }
        env.registerFilter("password_hash") { args in
            let scheme = args.argument(0, "hashtype", default: "sha512")?.pythonString ?? "sha512"
            let salt = args.argument(1, "salt").flatMap { $0 == .null ? nil : $0.pythonString }
            let rounds = try args.argument(3, "rounds").flatMap { v -> Int? in
                v == .null ? nil : try JinjaBuiltinFunctions.integer(v, "rounds")
            }
            let saltSize = try args.argument(2, "salt_size").flatMap { v -> Int? in
                v == .null ? nil : try JinjaBuiltinFunctions.integer(v, "salt_size")
            }
            return .string(
                try JinjaCrypt(scheme: scheme).hash(
                    args.input.pythonString, salt: salt, saltSize: saltSize, rounds: rounds))
        }
        let dict: TemplateFilter = { args in
            try args.environment.functions["dict"]!(
                CallArguments(input: .null, positional: [args.input], keywords: [:], environment: args.environment))
        }
        env.filters["community.general.dict"] = dict
        env.filters["dict"] = dict
        let jsonQuery: TemplateFilter = { args in
            guard let expression = args.argument(0, "expr"), case .string(let text) = expression else {
                throw TemplateError("json_query requires a JMESPath expression string")
            }
            return try JMESPath(text).search(args.input)
        }
        env.filters["json_query"] = jsonQuery
        env.filters["community.general.json_query"] = jsonQuery
    }
}

/// The parts `urllib.parse.urlsplit` finds in a URL, with the same edge cases: a scheme only when
/// the text before `:` is one, the network location only after `//`, brackets around IPv6 hosts,
/// and an error for a port that is not a number from 0 to 65535.
struct JinjaURLSplit {
    var fields: OrderedDictionary<String, Value> = [:]

    init(_ raw: String) throws {
        var url = String(raw.drop { $0.unicodeScalars.allSatisfy { $0.value <= 0x20 } })
        url.removeAll { $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var scheme = ""
        if let colon = url.firstIndex(of: ":"), let first = url.first, first.isASCII, first.isLetter,
            url[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        {
            scheme = url[..<colon].lowercased()
            url = String(url[url.index(after: colon)...])
        }
        var netloc = ""
        if url.hasPrefix("//") {
            let rest = url.dropFirst(2)
            let end = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            netloc = String(rest[..<end])
            url = String(rest[end...])
            if netloc.contains("[") != netloc.contains("]") { throw TemplateError("Invalid IPv6 URL") }
        }
        var fragment = ""
        if let hash = url.firstIndex(of: "#") {
            fragment = String(url[url.index(after: hash)...])
            url = String(url[..<hash])
        }
        var query = ""
        if let mark = url.firstIndex(of: "?") {
            query = String(url[url.index(after: mark)...])
            url = String(url[..<mark])
        }
        let (userinfo, hostinfo) = Self.rpartition(netloc, "@")
        var username: Value = .null
        var password: Value = .null
        if let userinfo {
            let (user, pass) = Self.partition(userinfo, ":")
            username = .string(user)
            password = pass.map(Value.string) ?? .null
        }
        var hostname: String
        var port: String
        if let open = hostinfo.firstIndex(of: "[") {
            let bracketed = hostinfo[hostinfo.index(after: open)...]
            let (inside, after) = Self.partition(String(bracketed), "]")
            hostname = inside
            port = Self.partition(after ?? "", ":").1 ?? ""
        } else {
            let (host, p) = Self.partition(hostinfo, ":")
            hostname = host
            port = p ?? ""
        }
        var portValue: Value = .null
        if !port.isEmpty {
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port) else {
                throw TemplateError("Port could not be cast to integer value as \(Value.string(port).pythonRepr)")
            }
            guard (0...65535).contains(n) else { throw TemplateError("Port out of range 0-65535") }
            portValue = .int(n)
        }
        fields = [
            "fragment": .string(fragment), "hostname": hostname.isEmpty ? .null : .string(hostname.lowercased()),
            "netloc": .string(netloc), "password": password, "path": .string(url), "port": portValue,
            "query": .string(query), "scheme": .string(scheme), "username": username,
        ]
    }

    private static func partition(_ s: String, _ separator: Character) -> (String, String?) {
        guard let i = s.firstIndex(of: separator) else { return (s, nil) }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }

    private static func rpartition(_ s: String, _ separator: Character) -> (String?, String) {
        guard let i = s.lastIndex(of: separator) else { return (nil, s) }
        return (String(s[..<i]), String(s[s.index(after: i)...]))
    }
}
