import CapstanBasics
import Collections

/// `get_url`: downloads a URL on the host with curl (or wget), in one remote program: fetch to a
/// temporary file next to `dest`, check `checksum` (`ALGO:HEX` or `ALGO:URL-of-a-checksum-file`),
/// replace `dest` only when the bytes differ, then apply `mode`/`owner`/`group`. As in Ansible, an
/// existing `dest` with a matching `checksum` is not downloaded again unless `force`. Without a
/// checksum the file is fetched and compared (Ansible sends If-Modified-Since; the result is the same).
public struct GetUrlModule: Module {
    public static let name = "get_url"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("url", required: true), ArgumentDefinition("dest", .path, required: true),
        ArgumentDefinition("checksum", default: ""), ArgumentDefinition("force", .bool, default: false),
        ArgumentDefinition("timeout", .int, default: 10), ArgumentDefinition("headers", .dict),
        ArgumentDefinition("mode", .raw), ArgumentDefinition("owner"), ArgumentDefinition("group"),
        ArgumentDefinition("validate_certs", .bool, default: true), ArgumentDefinition("backup", .bool, default: false),
        ArgumentDefinition("url_username", aliases: ["username"]),
        ArgumentDefinition("url_password", aliases: ["password"]),
        ArgumentDefinition("force_basic_auth", .bool, default: false),
        ArgumentDefinition("use_proxy", .bool, default: true),
        ArgumentDefinition("tmp_dest", .path), ArgumentDefinition("http_agent", default: "ansible-httpget"),
    ])

    static let algorithms = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]

    let arguments: ModuleArguments
    let algorithm: String
    let expected: String
    let mode: String

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        let checksum = arguments.string("checksum") ?? ""
        if checksum.isEmpty {
            algorithm = ""
            expected = ""
        } else {
            guard let colon = checksum.firstIndex(of: ":") else {
                throw fail("The checksum parameter has to be in format <algorithm>:<checksum>")
            }
            algorithm = checksum[..<colon].lowercased()
            expected = String(checksum[checksum.index(after: colon)...])
            guard Self.algorithms.contains(algorithm) else {
                throw fail("Unsupported hash algorithm: \(algorithm)")
            }
        }
        switch arguments["mode"] {
        case .int(let m)?: mode = String(m, radix: 8)
        case .string(let s)?: mode = s
        default: mode = ""
        }
        self.arguments = arguments
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        var timeout = 10
        if case .int(let t)? = a["timeout"] { timeout = max(t, 1) }
        let headers = (a["headers"]?.dictValue ?? [:]).map { "\($0.key): \($0.value.pythonString)\n" }.joined()
        var options = context.commandOptions
        options.timeout = .seconds(2 * timeout + 30)
        // Credentials travel on stdin, never in a command line.
        let user = a.string("url_username") ?? ""
        options.stdin = Array((user.isEmpty ? "" : "user = \"\(user):\(a.string("url_password") ?? "")\"\n").utf8)
        let inputs: KeyValuePairs<String, String> = [
            "url": a.string("url") ?? "", "dest": a.string("dest") ?? "", "algo": algorithm, "expected": expected,
            "force": RemoteProgram.flag(a.bool("force")), "timeout": "\(timeout)", "headers": headers,
            "mode": mode, "owner": a.string("owner") ?? "", "group": a.string("group") ?? "",
            "insecure": RemoteProgram.flag(!a.bool("validate_certs")), "agent": a.string("http_agent") ?? "",
            "check": RemoteProgram.flag(context.checkMode), "has_creds": RemoteProgram.flag(!user.isEmpty),
        ]
        let program = RemoteProgram.assignments(inputs) + RemoteProgram.prelude + GetUrlProgram.body
        let report = ProgramReport(try await context.connection.run(program, options: options))
        var fields: OrderedDictionary<String, Value> = [
            "dest": .string(report["dest"] ?? a.string("dest") ?? ""), "url": a["url"]!,
        ]
        if let code = report["status_code"].flatMap({ Int($0) }) { fields["status_code"] = .int(code) }
        guard report.succeeded else { return .failed(report.stderr, fields) }
        fields["msg"] = .string(report["msg"] ?? "")
        for key in ["checksum_src", "checksum_dest"] { if let v = report[key] { fields[key] = .string(v) } }
        if let size = report["size"].flatMap({ Int($0) }) { fields["size"] = .int(size) }
        if let m = report["mode"] { fields["mode"] = .string(m) }
        fields["elapsed"] = .int(Int(report["elapsed"] ?? "0") ?? 0)
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok, fields: fields)
    }
}
