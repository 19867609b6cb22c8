import Foundation

/// A group of facts gathered together, as Ansible's `gather_subset` names them. `min` is always
/// gathered unless excluded with `!min`; `all` is every group.
public enum FactGroup: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Ansible's minimal set: platform, distribution, lsb, user, env, date_time, service and
    /// package manager, selinux, machine id.
    case min
    /// Processors, memory, mounts, uptime, DMI product UUID, GPUs.
    case hardware
    /// Interfaces, addresses, default routes.
    case network
    /// Virtualization type and role.
    case virtual

    /// Orders groups as they appear in the program and in the fact dictionary.
    public static func < (lhs: FactGroup, rhs: FactGroup) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A `gather_subset` value that names no known group.
public struct GatherSubsetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending entry, without any `!`.
    public var subset: String
    /// Ansible's message for the same mistake.
    public var description: String {
        let allowed = (["all"] + FactGroup.allCases.map(\.rawValue)).joined(separator: ", ")
        return "Bad subset '\(subset)' given to Ansible. gather_subset options allowed: \(allowed)"
    }
}

/// The groups a `gather_subset` list selects, resolved the way Ansible's `get_collector_names` does.
public struct GatherSubset: Sendable, Hashable {
    /// The selected groups, in program order.
    public var groups: [FactGroup]
    /// The list as given, for the `gather_subset` fact.
    public var spec: [String]

    /// Everything (`gather_subset: all`, the default).
    public static let all = GatherSubset(groups: FactGroup.allCases, spec: ["all"])

    private init(groups: [FactGroup], spec: [String]) {
        self.groups = groups
        self.spec = spec
    }

    /// Resolves `spec` (entries like `all`, `min`, `network`, `!hardware`). As in Ansible, `min` is
    /// always added first, exclusions apply only to groups not named explicitly, and an empty list
    /// means `all`.
    public init(_ spec: [String]) throws {
        let spec = spec.isEmpty ? ["all"] : spec
        var added: Set<FactGroup> = []
        var excluded: Set<FactGroup> = []
        var explicit: Set<FactGroup> = []
        for entry in ["min"] + spec.map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let negated = entry.hasPrefix("!")
            let name = negated ? String(entry.dropFirst()) : entry
            if name == "all" {
                if negated {
                    excluded.formUnion(FactGroup.allCases.filter { $0 != .min })
                } else {
                    added.formUnion(FactGroup.allCases)
                }
                continue
            }
            guard let group = FactGroup(rawValue: name) else {
                // Ansible accepts unknown exclusions silently; only unknown additions are errors.
                if negated { continue }
                throw GatherSubsetError(subset: name)
            }
            if negated {
                excluded.insert(group)
            } else {
                added.insert(group)
                // `min` is a set of collectors in Ansible, never "explicitly added" itself.
                if group != .min { explicit.insert(group) }
            }
        }
        added.subtract(excluded.subtracting(explicit))
        self.init(groups: added.sorted(), spec: spec)
    }

    /// Whether `group` is gathered.
    public func contains(_ group: FactGroup) -> Bool { groups.contains(group) }
}
