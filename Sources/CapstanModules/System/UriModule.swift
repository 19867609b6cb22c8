import CapstanBasics
import Collections
import Foundation

/// `uri`: an HTTP request made on the host, as Ansible's module makes it there, with the host's curl
/// in one remote program (`uri.sh`). The result has Ansible's keys: `status`, `url` (after
/// redirects), `redirected`, `msg` (`OK (N bytes)` or urllib's `HTTP Error CODE: REASON`), `elapsed`,
/// every response header lower-cased with `-` as `_`, `content` with `return_content`, `json` for a
/// JSON body, and for `dest` the file's attributes. Credentials and the body travel on the
/// command's standard input, never on a command line; without `force_basic_auth` curl answers the
/// server's challenge (`--anyauth`) instead of sending them unasked.
public struct UriModule: Module {
    public static let name = "uri"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("url", required: true), ArgumentDefinition("force", .bool, default: false),
            ArgumentDefinition("http_agent", default: "ansible-httpget"),
            ArgumentDefinition("use_proxy", .bool, default: true),
            ArgumentDefinition("validate_certs", .bool, default: true),
            ArgumentDefinition("url_username", aliases: ["user"]),
            ArgumentDefinition("url_password", aliases: ["password"]),
            ArgumentDefinition("force_basic_auth", .bool, default: false),
            ArgumentDefinition("client_cert", .path), ArgumentDefinition("client_key", .path),
            ArgumentDefinition("use_gssapi", .bool, default: false),
            ArgumentDefinition(
                "follow_redirects", choices: ["all", "no", "none", "safe", "urllib2", "yes"], default: "safe"),
            ArgumentDefinition("dest", .path), ArgumentDefinition("body", .raw),
            ArgumentDefinition(
                "body_format", choices: ["form-urlencoded", "json", "raw", "form-multipart"], default: "raw"),
            ArgumentDefinition("src", .path), ArgumentDefinition("method", default: "GET"),
            ArgumentDefinition("return_content", .bool, default: false),
            ArgumentDefinition("creates", .path), ArgumentDefinition("removes", .path),
            ArgumentDefinition("status_code", .list, default: [200]), ArgumentDefinition("timeout", .int, default: 30),
            ArgumentDefinition("headers", .dict, default: .dict([:])), ArgumentDefinition("unix_socket", .path),
            ArgumentDefinition("remote_src", .bool, default: false), ArgumentDefinition("ca_path", .path),
            ArgumentDefinition("unredirected_headers", .list, default: []),
            ArgumentDefinition("decompress", .bool, default: true), ArgumentDefinition("ciphers", .list),
            ArgumentDefinition("use_netrc", .bool, default: true),
        ] + FileAttributesSpec.arguments, mutuallyExclusive: [["body", "src"]])

    let arguments: ModuleArguments
    let method: String
    let statuses: [Int]
    /// The request body as sent, and the Content-Type its format implies (unless a header says one).
    let body: String?
    let headers: OrderedDictionary<String, String>

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        method = (arguments.string("method") ?? "GET").uppercased()
        guard !method.isEmpty, method.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw fail("Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
        }
        var codes: [Int] = []
        for item in arguments["status_code"]?.listValue ?? [.int(200)] {
            guard let code = Self.integer(item) else {
                throw fail(
                    "Elements value for option 'status_code' is of type \(item.pythonTypeName) and we were unable to "
                        + "convert to int: \(item.pythonString)")
            }
            codes.append(code)
        }
        statuses = codes
        if arguments["src"] != nil || arguments.string("body_format") == "form-multipart" {
            throw fail("src and body_format=form-multipart are not supported by Capstan's uri")
        }
        var headers = OrderedDictionary<String, String>()
        for (key, value) in arguments["headers"]?.dictValue ?? [:] { headers[key] = value.pythonString }
        let hasType = headers.keys.contains { $0.lowercased() == "content-type" }
        switch (arguments.string("body_format") ?? "raw", arguments["body"]) {
        case (_, nil), (_, .null?):
            body = nil
        case ("json", let value?):
            if case .string(let s) = value { body = s } else { body = value.json() }
            if !hasType { headers["Content-Type"] = "application/json" }
        case ("form-urlencoded", let value?):
            body = try Self.formEncoded(value)
            if !hasType { headers["Content-Type"] = "application/x-www-form-urlencoded" }
        case (_, let value?):
            body = value.pythonString
        }
        self.headers = headers
        self.arguments = arguments
    }

    static func integer(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .string(let s): return Int(s.trimmingWhitespace())
        case .float(let f) where f == f.rounded(): return Int(f)
        default: return nil
        }
    }

    /// Ansible's `form_urlencoded`: a string as it is, a dict or list of pairs as `k=v&...`, list
    /// values repeated, nulls left out.
    static func formEncoded(_ value: Value) throws -> String {
        var pairs: [(String, Value)] = []
        switch value {
        case .string(let s): return s
        case .dict(let d): pairs = d.map { ($0.key, $0.value) }
        case .list(let items):
            for item in items {
                guard let pair = item.listValue, pair.count == 2 else {
                    throw ModuleArgumentError(
                        module: name, message: "failed to parse body as form_urlencoded: cannot form-urlencode body")
                }
                pairs.append((pair[0].pythonString, pair[1]))
            }
        default: return value.pythonString
        }
        var parts: [String] = []
        for (key, value) in pairs {
            let values: [Value] = value.listValue ?? [value]
            for v in values where v != .null {
                parts.append(plus(key) + "=" + plus(v.pythonString))
            }
        }
        return parts.joined(separator: "&")
    }

    /// Python's `quote_plus`: unreserved characters kept, a space as `+`, the rest percent-encoded.
    static func plus(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if context.checkMode {
            return ModuleOutcome(status: .skipped, fields: ["msg": "This action (uri) does not support check mode."])
        }
        let a = arguments
        let timeout = max(Self.integer(a["timeout"] ?? .int(30)) ?? 30, 1)
        let follow: Bool
        switch a.string("follow_redirects") ?? "safe" {
        case "all", "yes", "urllib2": follow = true
        case "safe": follow = method == "GET" || method == "HEAD"
        default: follow = false
        }
        let user = a.string("url_username") ?? ""
        var stdin = ""
        if !user.isEmpty {
            // curl's config syntax: a double-quoted value with \ and " escaped.
            let credential = "\(user):\(a.string("url_password") ?? "")"
                .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            stdin = "user = \"\(credential)\"\n"
        }
        if let body { stdin += body }
        var options = context.commandOptions
        options.timeout = .seconds(timeout + 30)
        options.stdin = Array(stdin.utf8)
        let returnContent = a.bool("return_content")
        let report = try await RemoteProgram.run(
            [
                "url": a.string("url") ?? "", "method": method, "timeout": "\(timeout)",
                "follow": RemoteProgram.flag(follow), "insecure": RemoteProgram.flag(!a.bool("validate_certs")),
                "ca_path": a.string("ca_path") ?? "", "creates": a.string("creates") ?? "",
                "removes": a.string("removes") ?? "", "dest": a.string("dest") ?? "",
                "headers": headers.map { "\($0.key): \($0.value)\n" }.joined(),
                "has_creds": RemoteProgram.flag(!user.isEmpty), "basic": RemoteProgram.flag(a.bool("force_basic_auth")),
                "has_body": RemoteProgram.flag(body != nil), "want": RemoteProgram.flag(returnContent),
                "statuses": statuses.map(String.init).joined(separator: " "),
                "agent": a.string("http_agent") ?? "ansible-httpget",
            ], NodePrograms.uri, with: options, in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        if let skipped = report["skipped"] {
            return ModuleOutcome(status: .ok, fields: ["stdout": .string(skipped), "stdout_lines": [.string(skipped)]])
        }
        return outcome(report, returnContent: returnContent)
    }

    /// The result Ansible's module builds from the response.
    func outcome(_ report: ProgramReport, returnContent: Bool) -> ModuleOutcome {
        let status = Int(report["status"] ?? "-1") ?? -1
        let requested = arguments.string("url") ?? ""
        let finalURL = status == -1 ? requested : (report["url"] ?? requested)
        let headers = report.dict(prefix: "h_")
        let succeeded = (200..<300).contains(status)
        var fields: OrderedDictionary<String, Value> = [:]
        fields["redirected"] = .bool(finalURL != requested)
        fields["url"] = .string(finalURL)
        if status == -1 {
            fields["msg"] = .string(report["reason"] ?? "Request failed")
        } else if succeeded {
            fields["msg"] = .string("OK (\(headers["content_length"]?.stringValue ?? "unknown") bytes)")
        } else {
            fields["msg"] = .string("HTTP Error \(status): \(report["reason"] ?? "")")
        }
        for (key, value) in headers { fields[key] = value }
        if succeeded {
            fields["cookies"] = .dict(Self.cookies(headers["set_cookie"]?.stringValue))
            fields["cookies_string"] = .string(
                Self.cookies(headers["set_cookie"]?.stringValue).map { "\($0.key)=\($0.value.pythonString)" }
                    .joined(separator: "; "))
        }
        fields["elapsed"] = .int(Int(report["elapsed"] ?? "0") ?? 0)
        fields["status"] = .int(status)
        if let location = headers["location"]?.stringValue, let base = URL(string: requested),
            let absolute = URL(string: location, relativeTo: base)
        {
            fields["location"] = .string(absolute.absoluteString)
        }
        if let path = report["path"] {
            for (key, name) in [("st_gid", "gid"), ("st_group", "group")] {
                fields[name] = Self.statValue(report[key], name)
            }
            fields["mode"] = .string(
                String(repeating: "0", count: max(0, 4 - (report["st_mode"] ?? "").count)) + (report["st_mode"] ?? ""))
            fields["owner"] = .string(report["st_owner"] ?? "")
            fields["path"] = .string(path)
            fields["size"] = .int(Int(report["st_size"] ?? "0") ?? 0)
            fields["state"] = "file"
            fields["uid"] = .int(Int(report["st_uid"] ?? "0") ?? 0)
        }
        var content: String?
        if let encoded = report["body"], let data = Data(base64Encoded: encoded) {
            content = String(decoding: data, as: UTF8.self)
            if Self.isJSON(headers["content_type"]?.stringValue), let parsed = try? Value(jsonText: content ?? "") {
                fields["json"] = parsed
            }
        }
        let accepted = statuses.contains(status)
        let jsonish = fields["json"] != nil || Self.isJSON(headers["content_type"]?.stringValue)
        if returnContent {
            fields["content"] = content.map(Value.string) ?? .null
        } else if !succeeded, status != -1, accepted, !jsonish {
            // urllib's error body, which Ansible's module leaves in the result when it does not read it.
            fields["body"] = content.map(Value.string) ?? ""
        }
        if !accepted {
            fields["msg"] = .string(
                "Status code was \(status) and not \(statuses): \(fields["msg"]?.stringValue ?? "")")
            return ModuleOutcome(status: .failed, fields: fields)
        }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok, fields: fields)
    }

    /// Whether a Content-Type is one Ansible parses as JSON: subtype (or `+suffix`) json or javascript.
    static func isJSON(_ contentType: String?) -> Bool {
        let type = (contentType ?? "").lowercased()
        let subtype =
            type.split(separator: ";").first.map(String.init)?.split(separator: "/").last.map(String.init) ?? ""
        let suffix = subtype.split(separator: "+").last.map(String.init) ?? subtype
        return ["json", "javascript"].contains(suffix.trimmingWhitespace())
    }

    static func statValue(_ text: String?, _ name: String) -> Value {
        if name == "gid" { return .int(Int(text ?? "0") ?? 0) }
        return .string(text ?? "")
    }

    /// `name=value` pairs of Set-Cookie headers (joined by `, ` as Python joins repeated headers).
    static func cookies(_ header: String?) -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        guard let header else { return out }
        for cookie in header.components(separatedBy: ", ") {
            let first = cookie.split(separator: ";").first.map(String.init) ?? ""
            guard let eq = first.firstIndex(of: "=") else { continue }
            out[first[..<eq].trimmingWhitespace()] = .string(String(first[first.index(after: eq)...]))
        }
        return out
    }
}
