import Collections

@testable import CapstanBasics

/// Compares Capstan's facts with Ansible's `setup` facts for the same machine, taken moments apart.
///
/// Every fact Capstan produces must exist in Ansible's output with the same value, except:
/// - volatile values: `date_time` (same zone, epochs within `slack` seconds), `uptime_seconds`
///   (within `slack`), `memfree_mb`/`swapfree_mb`, and the free/used figures of `mounts` (whose `uuid`,
///   from lsblk, Capstan does not gather);
/// - lists Ansible builds from unordered sets or directory order (`interfaces`, `all_ipv*_addresses`,
///   `virtualization_tech_*`, a bridge's `interfaces`) are compared sorted;
/// - within an interface, Ansible's extra keys (`pciid`, `module`, `features`, ...) are ignored;
/// - `env`: variables that differ by how the command got there are ignored: Ansible sets `LANG`/`LC_*`
///   for modules and asks for a terminal (`SSH_TTY`, `TERM`); every SSH session has its own source
///   port and session id (`SSH_CLIENT`, `SSH_CONNECTION`, `XDG_SESSION_ID`); `_` and `SHLVL` name the
///   shell that started the program, `PWD`/`OLDPWD` the directory it started in (the fixture script
///   runs the two gatherers from different directories); Ansible's local connection adds `PYTHONPATH`.
/// - Capstan's own facts (`capstan_gpus`, `gather_subset`, `module_setup`) are not compared.
package enum AnsibleFactComparison {
    package static let envIgnored: Set<String> = [
        "LANG", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "SSH_TTY", "TERM", "SSH_CLIENT", "SSH_CONNECTION",
        "XDG_SESSION_ID", "_", "SHLVL", "PYTHONPATH", "PWD", "OLDPWD",
    ]
    package static let unordered: Set<String> = [
        "ansible_interfaces", "ansible_all_ipv4_addresses", "ansible_all_ipv6_addresses",
        "ansible_virtualization_tech_guest", "ansible_virtualization_tech_host",
    ]
    package static let volatileMountKeys: Set<String> = [
        "size_available", "block_available", "block_used", "inode_available", "inode_used",
    ]

    /// Human-readable differences; empty when the facts agree.
    package static func differences(
        ours: OrderedDictionary<String, Value>, ansible: OrderedDictionary<String, Value>, slack: Int = 300
    ) -> [String] {
        var problems: [String] = []
        let interfaces = Set((ours["ansible_interfaces"]?.listValue ?? []).compactMap(\.stringValue))
        for (name, unsorted) in ours where !["capstan_gpus", "gather_subset", "module_setup"].contains(name) {
            let value = normalized(unsorted)
            guard let theirs = ansible[name].map(normalized) else {
                problems.append("\(name): Ansible has no such fact (ours: \(value.json()))")
                continue
            }
            let same: Bool
            switch name {
            case "ansible_memfree_mb", "ansible_swapfree_mb":
                same = true
            case "ansible_uptime_seconds":
                same = abs((value.intValue ?? 0) - (theirs.intValue ?? 0)) <= slack
            case "ansible_date_time":
                let epochs = [value, theirs].map { Int($0["epoch"]?.stringValue ?? "") ?? 0 }
                same =
                    value["tz"] == theirs["tz"] && value["tz_offset"] == theirs["tz_offset"]
                    && abs(epochs[0] - epochs[1]) <= slack
            case "ansible_env":
                same = env(value) == env(theirs)
            case "ansible_mounts":
                let keys = Set((value.listValue ?? []).flatMap { $0.dictValue?.keys.elements ?? [] })
                same = mounts(value, keys) == mounts(theirs, keys)
            case _ where unordered.contains(name):
                same = sorted(value) == sorted(theirs)
            case _ where interfaces.contains(String(name.dropFirst("ansible_".count))):
                same = interface(value, theirs) == interface(value, value)
            default:
                same = value == theirs
            }
            if !same { problems.append("\(name):\n  ours:    \(value.json())\n  Ansible: \(theirs.json())") }
        }
        return problems
    }

    /// Mappings with their keys sorted, at every depth: key order means nothing in Ansible's JSON.
    package static func normalized(_ value: Value) -> Value {
        switch value {
        case .list(let items): return .list(items.map(normalized))
        case .dict(let d):
            var result = OrderedDictionary<String, Value>()
            for key in d.keys.sorted() { result[key] = normalized(d[key]!) }
            return .dict(result)
        default: return value
        }
    }

    package static func sorted(_ value: Value) -> Value {
        .list((value.listValue ?? []).sorted { $0.json() < $1.json() })
    }

    package static func env(_ value: Value) -> Value {
        .dict((value.dictValue ?? [:]).filter { !envIgnored.contains($0.key) })
    }

    /// Mount entries without the volatile figures and without keys Capstan does not produce (`uuid`).
    package static func mounts(_ value: Value, _ keys: Set<String>) -> Value {
        let entries = (value.listValue ?? []).map { entry in
            Value.dict((entry.dictValue ?? [:]).filter { keys.contains($0.key) && !volatileMountKeys.contains($0.key) })
        }
        return sorted(.list(entries))
    }

    /// Ansible's interface restricted to our keys, bridge members sorted.
    package static func interface(_ ours: Value, _ theirs: Value) -> Value {
        var kept = OrderedDictionary<String, Value>()
        for key in (ours.dictValue ?? [:]).keys {
            guard let v = theirs[key] else { continue }
            kept[key] = key == "interfaces" ? sorted(v) : v
        }
        return .dict(kept)
    }
}

extension Value {
    /// The integer inside, or nil.
    package var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }
}
