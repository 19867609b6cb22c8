import CapstanBasics
import Foundation

/// Finds where a host is recorded in an OpenSSH known_hosts file, so a refusal can name the line.
///
/// libssh decides whether a key matches; this type only answers "which line", reading plain
/// (`host,alias`), bracketed (`[host]:2222`) and hashed (`|1|salt|hash`) host fields.
struct KnownHostsFile {
    /// The file's path.
    let path: String

    /// A recorded entry for the host.
    struct Entry: Equatable {
        /// 1-based line number.
        var line: Int
        /// The key type field, e.g. `ssh-ed25519`.
        var keyType: String
    }

    /// How known_hosts names a host on a port: `host` on 22, `[host]:port` otherwise.
    static func hostPattern(host: String, port: Int) -> String {
        port == 22 ? host : "[\(host)]:\(port)"
    }

    /// Every line recording `host` on `port`, in file order; empty when the file is missing.
    func entries(host: String, port: Int) -> [Entry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let pattern = Self.hostPattern(host: host, port: port)
        var found: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("@") else { continue }
            if Self.hostField(String(fields[0]), matches: pattern) {
                found.append(Entry(line: index + 1, keyType: String(fields[1])))
            }
        }
        return found
    }

    /// The line to blame for a key of type `keyType`: the first entry with that type, else the first entry.
    func lineToBlame(host: String, port: Int, keyType: String) -> Int? {
        let all = entries(host: host, port: port)
        return (all.first { $0.keyType == keyType } ?? all.first)?.line
    }

    /// Whether a host field (comma-separated names, or one hashed name) names `pattern` exactly.
    static func hostField(_ field: String, matches pattern: String) -> Bool {
        if field.hasPrefix("|1|") {
            let parts = field.split(separator: "|", omittingEmptySubsequences: true)
            guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                let hash = Data(base64Encoded: String(parts[2]))
            else { return false }
            return Digest.hmacSHA1(Array(pattern.utf8), key: Array(salt)) == Array(hash)
        }
        return field.split(separator: ",").contains { $0.lowercased() == pattern.lowercased() }
    }
}
