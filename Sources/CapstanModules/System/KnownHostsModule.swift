import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `known_hosts`: a host's key in an ssh known_hosts file. As Ansible's module, it asks `ssh-keygen -F`
/// where the host is (hashed names included) and `-R` to remove a host without a key; one program
/// reads that and the file, Swift decides as the module does (`KnownHostsSearch`) and computes the
/// new content, and one more writes it only when something changes.
public struct KnownHostsModule: Module {
    public static let name = "known_hosts"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true, aliases: ["host"]), ArgumentDefinition("key"),
        ArgumentDefinition("path", .path, default: "~/.ssh/known_hosts"),
        ArgumentDefinition("hash_host", .bool, default: false),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
    ])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { self.arguments = arguments }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let host = (arguments.string("name") ?? "").lowercased()
        let present = arguments.string("state") != "absent"
        var key = arguments.string("key") ?? ""
        if key.isEmpty && present { return .failed("No key specified when adding a host") }
        if !key.isEmpty && arguments.bool("hash_host") { key = Self.hashed(host, key) }
        if !key.isEmpty && !key.hasSuffix("\n") { key += "\n" }
        if !key.isEmpty && host.range(of: #"\S+(\s+)?,(\s+)?"#, options: .regularExpression) != nil {
            return .failed(
                "Comma separated list of names is not supported. "
                    + "Please pass a single name to lookup in the known_hosts file.")
        }
        let read = try await RemoteProgram.runBytes(
            [
                "step": "read", "host": host, "key": key, "path": arguments.string("path") ?? "",
                "statfmt": RemoteFileState.statFormat,
            ],
            NodePrograms.knownHosts, in: context)
        guard read.succeeded else { return .failed(read.stderrText.trimmingTrailingNewlines()) }
        let found = KnownHostsSearch(read.stdout)
        if !key.isEmpty && !found.sane {
            return .failed("Host parameter does not match hashed host field in supplied key")
        }
        let path = found.path
        var fields: OrderedDictionary<String, Value> = [:]
        // Ansible returns every parameter, unset ones as null.
        for def in Self.spec.arguments { fields[def.name] = arguments[def.name] ?? .null }
        fields["path"] = .string(path)
        let search: (found: Bool, replace: Bool, line: Int?)
        switch found.search(key: key) {
        case .success(let s): search = s
        case .failure(let e): return .failed(e.message)
        }
        let before = found.content ?? ""
        var lines = PythonLines.universalLines(before)
        if (search.replace || !present), let n = search.line, n >= 1, n <= lines.count { lines.remove(at: n - 1) }
        if present && (search.replace || search.line == nil) { lines.append(key) }
        let after = lines.joined()
        if context.diffMode {
            fields["diff"] = .dict([
                "before_header": .string(found.exists ? path : "/dev/null"), "after_header": .string(path),
                "before": .string(PythonLines.universalLines(before).joined()), "after": .string(after),
            ])
        }
        let unchanged = AuthorizedKeyModule.withPathInfo(fields, found.stat)
        if !present && search.line == nil && !key.isEmpty { return ModuleOutcome(status: .ok, fields: unchanged) }
        let remove = search.found && key.isEmpty && !present
        let rewrite = search.replace || search.found != present
        if context.checkMode {
            return ModuleOutcome(status: search.replace || present != search.found ? .changed : .ok, fields: unchanged)
        }
        guard remove || rewrite else { return ModuleOutcome(status: .ok, fields: unchanged) }
        var options = context.commandOptions
        options.stdin = Array(after.utf8)
        let written = try await context.connection.run(
            RemoteProgram.assignments([
                "step": "write", "host": host, "path": path, "remove": RemoteProgram.flag(remove),
                "rewrite": RemoteProgram.flag(rewrite && !remove), "statfmt": RemoteFileState.statFormat,
            ]) + RemoteProgram.prelude + NodePrograms.knownHosts, options: options)
        guard written.succeeded else { return .failed(written.stderrText.trimmingTrailingNewlines()) }
        let final = AuthorizedKeyModule.finalStat(written.stdoutText)
        return ModuleOutcome(status: .changed, fields: AuthorizedKeyModule.withPathInfo(fields, final))
    }

    /// `hash_host`: the host field replaced by `|1|SALT|HMAC-SHA1(SALT, host)` with a random salt.
    static func hashed(_ host: String, _ key: String) -> String {
        var parts = key.split(whereSeparator: \.isPythonWhitespace).map(String.init)
        guard !parts.isEmpty else { return key }
        let salt = (0..<20).map { _ in UInt8.random(in: 0...255) }
        let digest = Digest.hmacSHA1(Array(host.utf8), key: salt)
        let i = parts[0].hasPrefix("@") ? 1 : 0
        guard i < parts.count else { return key }
        parts[i] = "|1|\(Data(salt).base64EncodedString())|\(Data(digest).base64EncodedString())"
        return parts.joined(separator: " ")
    }
}

/// What the read step of `known-hosts.sh` found, and Ansible's `search_for_host_key` on it.
struct KnownHostsSearch {
    var path = ""
    var sane = false
    var exists = false
    var status = 0
    var found: [String] = []
    var errors: [String] = []
    var content: String?
    var stat: RemoteFileState?

    struct Failure: Error { var message: String }

    init(_ bytes: [UInt8]) {
        var header = bytes[...]
        let marker = Array("=content\n".utf8)
        if let at = bytes.firstRange(of: marker) {
            header = bytes[..<at.lowerBound]
            content = String(decoding: bytes[at.upperBound...], as: UTF8.self)
        }
        for line in String(decoding: header, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let value = String(line.dropFirst(2))
            switch line.first {
            case "P": path = value
            case "S": sane = value == "1"
            case "E": exists = true
            case "T": stat = RemoteFileState(statLine: value)
            case "R": status = Int(value) ?? 255
            case "F": found.append(value)
            case "X": errors.append(value)
            default: continue
            }
        }
    }

    /// A key line's parts: options (`@cert-authority`, `@revoke`), host, type and key.
    struct KeyLine: Equatable {
        var options: String?
        var host: String
        var type: String
        var key: String

        init?(_ line: String) {
            let k = line.split(whereSeparator: \.isPythonWhitespace).map(String.init)
            let offset = k.first?.hasPrefix("@") == true ? 1 : 0
            guard k.count >= 3 + offset else { return nil }
            options = offset == 1 ? k[0] : nil
            (host, type, key) = (k[offset], k[offset + 1], k[offset + 2])
        }
    }

    /// Whether the host is there, whether its key of that type differs, and the line it is on.
    func search(key: String) -> Result<(found: Bool, replace: Bool, line: Int?), Failure> {
        guard exists else { return .success((false, false, nil)) }
        if found.isEmpty && errors.isEmpty && (status == 0 || status == 1) { return .success((false, false, nil)) }
        if status != 0 {
            let out = found.map { $0 + "\n" }.joined()
            let err = errors.map { $0 + "\n" }.joined()
            return .failure(Failure(message: "ssh-keygen failed (rc=\(status), stdout='\(out)',stderr='\(err)')"))
        }
        if key.isEmpty { return .success((true, false, nil)) }
        guard var new = KeyLine(key) else { return .success((true, true, nil)) }
        var line: Int?
        for l in found where !l.isEmpty {
            if l.hasPrefix("#") {
                if let r = l.range(of: #"found: line (\d+)"#, options: .regularExpression) {
                    line = Int(l[r].split(separator: " ").last ?? "")
                }
                continue
            }
            guard let old = KeyLine(l) else { continue }
            if let o = old.options, o.hasPrefix("@cert-authority") || o.hasPrefix("@revoke") {
                if new == old { return .success((true, false, line)) }
            } else {
                if new.host.hasPrefix("|1|") && old.host.hasPrefix("|1|") { new.host = old.host }
                if new == old { return .success((true, false, line)) }
                if new.type == old.type { return .success((true, true, line)) }
            }
        }
        return .success((true, true, nil))
    }
}

extension PythonLines {
    /// A text file's lines as Python reads them in text mode: `\r\n` and `\r` become `\n`, each
    /// line keeps its end.
    static func universalLines(_ text: String) -> [String] {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return unified.linesKeepingNewlines()
    }
}

extension RemoteProgram {
    /// Runs `body` after the inputs and the prelude and returns the raw result (for output that
    /// carries a file's bytes).
    static func runBytes(
        _ inputs: KeyValuePairs<String, String>, _ body: String, in context: ModuleContext
    ) async throws -> CommandResult {
        try await context.connection.run(assignments(inputs) + prelude + body, options: context.commandOptions)
    }
}
