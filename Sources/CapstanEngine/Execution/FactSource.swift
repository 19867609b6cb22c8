import Collections
import OrderedCollections

/// Where `gather_facts` gets a host's facts: one remote command, parsed into Ansible's fact names
/// (without the `ansible_` prefix, as under `ansible_facts`).
protocol FactSource: Sendable {
    /// The host's facts; transport failures are thrown as the connection threw them.
    func gather(on connection: any Connection, options: CommandOptions) async throws -> OrderedDictionary<String, Value>
}

/// A small fact set from one `uname`/`os-release` command, until the full gatherer is wired in:
/// hostname, nodename, fqdn, system, kernel, machine/architecture, distribution and its version.
struct MinimalFactSource: FactSource {
    static let program = """
        printf 'hostname=%s\\n' "$(uname -n | cut -d. -f1)"; printf 'nodename=%s\\n' "$(uname -n)"
        printf 'fqdn=%s\\n' "$(hostname -f 2>/dev/null || uname -n)"; printf 'system=%s\\n' "$(uname -s)"
        printf 'kernel=%s\\n' "$(uname -r)"; printf 'machine=%s\\n' "$(uname -m)"
        if [ -r /etc/os-release ]; then . /etc/os-release; printf 'os_id=%s\\nos_version=%s\\nos_codename=%s\\n' "$ID" "$VERSION_ID" "$VERSION_CODENAME"; fi
        """

    func gather(on connection: any Connection, options: CommandOptions) async throws -> OrderedDictionary<String, Value> {
        var options = options
        if options.timeout == nil { options.timeout = .seconds(30) }
        let result = try await connection.run(Self.program, options: options)
        var raw: [String: String] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { raw[String(parts[0])] = String(parts[1]) }
        }
        var facts = OrderedDictionary<String, Value>()
        for key in ["hostname", "nodename", "fqdn", "system", "kernel", "machine"] {
            facts[key] = .string(raw[key] ?? "")
        }
        facts["architecture"] = .string(raw["machine"] ?? "")
        let id = raw["os_id"] ?? ""
        facts["distribution"] = .string(Self.distributionNames[id] ?? id.capitalized)
        facts["distribution_version"] = .string(raw["os_version"] ?? "")
        facts["distribution_major_version"] = .string(String((raw["os_version"] ?? "").split(separator: ".").first ?? ""))
        facts["distribution_release"] = .string(raw["os_codename"] ?? "")
        facts["os_family"] = .string(["debian": "Debian", "ubuntu": "Debian", "rhel": "RedHat", "centos": "RedHat", "fedora": "RedHat"][id] ?? id.capitalized)
        return facts
    }

    static let distributionNames = ["debian": "Debian", "ubuntu": "Ubuntu", "rhel": "RedHat", "centos": "CentOS", "fedora": "Fedora"]
}
