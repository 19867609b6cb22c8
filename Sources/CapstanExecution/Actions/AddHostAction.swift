import CapstanBasics
import CapstanModules
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

    /// An add_host action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        var args = context.arguments
        if let raw = args.removeValue(forKey: "_raw_params") {
            guard case .dict(let d) = raw else {
                return ControllerActionResult(
                    .failed("Invalid raw parameters passed, requires a dictionary/mapping got a  \(raw.pythonTypeName)")
                )
            }
            for (k, v) in d where args[k] == nil { args[k] = v }
        }
        guard
            let newName = ActionArguments.string(args, "name") ?? ActionArguments.string(args, "hostname")
                ?? ActionArguments.string(args, "host")
        else { return ControllerActionResult(.failed("name, host or hostname needs to be provided")) }
        let (host, port) = Self.splitPort(newName)
        if let port { args["ansible_ssh_port"] = .int(port) }
        var groups: [String] = []
        switch args["groupname"] ?? args["groups"] ?? args["group"] {
        case nil, .null?: break
        case .list(let items)?: groups = items.map { $0.pythonString.trimmingCharacters(in: .whitespaces) }
        case .string(let s)?: groups = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        case .some: return ControllerActionResult(.failed("Groups must be specified as a list."))
        }
        var unique: [String] = []
        for g in groups where !g.isEmpty && !unique.contains(g) { unique.append(g) }
        let vars = args.filter { !Self.special.contains($0.key) }
        var outcome = ModuleOutcome(status: .changed)
        outcome.fields = [
            "changed": true,
            "add_host": [
                "host_name": .string(host), "groups": .list(unique.map(Value.string)), "host_vars": .dict(vars),
            ],
        ]
        return ControllerActionResult(outcome)
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

    /// A group_by action.
    public init() {}

    /// Runs the action for one host (one loop item).

    public func run(_ context: ControllerActionContext) async throws -> ControllerActionResult {
        guard let key = context.arguments["key"] else {
            return ControllerActionResult(.failed("the 'key' param is required when using group_by"))
        }
        let parents: [Value] = context.arguments["parents"].map { $0.listValue ?? [$0] } ?? ["all"]
        var outcome = ModuleOutcome(status: .changed)
        outcome.fields = [
            "changed": true, "add_group": .string(key.pythonString.replacingOccurrences(of: " ", with: "-")),
            "parent_groups": .list(parents.map { .string($0.pythonString.replacingOccurrences(of: " ", with: "-")) }),
        ]
        return ControllerActionResult(outcome)
    }
}
