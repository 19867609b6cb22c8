import CapstanBasics
import CapstanModules
import Collections
import Foundation

/// `add_host`: adds a host (and its groups and variables) to the in-memory inventory for the rest
/// of the run. As in Ansible, the action only describes the addition in its result (`add_host:
/// {host_name, groups, host_vars}`); the engine applies it (`InventoryAddition.from(_:)` reads it).
/// The result says `changed`, as Ansible's does when the host is new; an engine that finds nothing
/// new to add may report `ok` instead.
public struct AddHostAction: ControllerAction {
    /// `add_host`.
    public static let name = "add_host"
    /// Arguments that are not host variables (Ansible's `special_args`; `host` and `group` are
    /// accepted as names but, as there, also kept as variables).
    static let special: Set<String> = ["name", "hostname", "groupname", "groups"]
    /// The special arguments, a free-form mapping of more arguments, and any other key as a host variable.
    public static let spec = ArgumentSpec(
        special.sorted().map { ArgumentDefinition($0, .raw) }, acceptsFreeForm: true, unknownKeys: .accepted)

    /// The host's name as given (maybe `host:port`), its groups, and its variables; or why the
    /// arguments cannot describe a host.
    let newName: String?
    let groups: Value?
    let variables: OrderedDictionary<String, Value>
    let invalidRawParameters: Value?

    /// An add_host action for the checked arguments: the free-form mapping fills what the named
    /// arguments left out, as Ansible's `combine_vars(raw, args)` does.
    public init(arguments: ModuleArguments) {
        var special = arguments.values.filter { Self.special.contains($0.key) }
        var variables = arguments.extra
        invalidRawParameters = arguments["_raw_params"].flatMap { $0.dictValue == nil ? $0 : nil }
        for (key, value) in arguments["_raw_params"]?.dictValue ?? [:] {
            if Self.special.contains(key) {
                if special[key] == nil { special[key] = value }
            } else if variables[key] == nil {
                variables[key] = value
            }
        }
        newName = Self.text(special["name"]) ?? Self.text(special["hostname"]) ?? Self.text(variables["host"])
        groups = special["groupname"] ?? special["groups"] ?? variables["group"]
        self.variables = variables
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        if let raw = invalidRawParameters {
            return ControllerActionResult(
                .failed("Invalid raw parameters passed, requires a dictionary/mapping got a  \(raw.pythonTypeName)"))
        }
        guard let newName else {
            return ControllerActionResult(.failed("name, host or hostname needs to be provided"))
        }
        var vars = variables
        let (host, port) = Self.splitPort(newName)
        if let port { vars["ansible_ssh_port"] = .int(port) }
        var names: [String] = []
        switch groups {
        case nil, .null?: break
        case .list(let items)?: names = items.map { $0.pythonString.trimmingCharacters(in: .whitespaces) }
        case .string(let s)?: names = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .some: return ControllerActionResult(.failed("Groups must be specified as a list."))
        }
        var unique: [String] = []
        for g in names where !g.isEmpty && !unique.contains(g) { unique.append(g) }
        var outcome = ModuleOutcome(status: .changed)
        outcome.fields = [
            "changed": true,
            "add_host": [
                "host_name": .string(host), "groups": .list(unique.map(Value.string)), "host_vars": .dict(vars),
            ],
        ]
        return ControllerActionResult(outcome)
    }

    /// A name argument as text: nil when absent or null, a non-string as Python prints it.
    private static func text(_ value: Value?) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: return other.pythonString
        }
    }

    /// `host:port` and `[v6]:port` as Ansible's `parse_address` splits them; anything else is a name.
    static func splitPort(_ text: String) -> (String, Int?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.hasPrefix(":"), let port = Int(rest.dropFirst()) { return (host, port) }
            return rest.isEmpty ? (host, nil) : (text, nil)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let port = Int(parts[1]) { return (String(parts[0]), port) }
        return (text, nil)
    }
}

/// `group_by`: puts the host into the group `key` (spaces become `-`) under `parents` (default
/// `all`). The result carries `add_group` and `parent_groups` for the engine to apply, and says
/// `changed` as Ansible's does when the host joins the group.
public struct GroupByAction: ControllerAction {
    /// `group_by`.
    public static let name = "group_by"
    /// `key` and `parents`; like Ansible's `_VALID_ARGS`, anything else is refused with its message.
    public static let spec = ArgumentSpec(
        [ArgumentDefinition("key", .raw), ArgumentDefinition("parents", .raw)],
        unknownKeys: .rejected { "Invalid options for group_by: \($0.sorted().joined(separator: ","))" })

    let key: Value?
    let parents: [Value]

    /// A group_by action for the checked arguments.
    public init(arguments: ModuleArguments) {
        key = arguments["key"]
        parents = arguments["parents"].map { $0.listValue ?? [$0] } ?? ["all"]
    }

    /// Runs the action for one host (one loop item).
    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard let key else {
            return ControllerActionResult(.failed("the 'key' param is required when using group_by"))
        }
        var outcome = ModuleOutcome(status: .changed)
        outcome.fields = [
            "changed": true, "add_group": .string(key.pythonString.replacingOccurrences(of: " ", with: "-")),
            "parent_groups": .list(parents.map { .string($0.pythonString.replacingOccurrences(of: " ", with: "-")) }),
        ]
        return ControllerActionResult(outcome)
    }
}
