import CapstanBasics
import CapstanInventory
import CapstanPlaybook
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// Builds each host's variables at a task in Ansible's precedence order (lowest first): role
/// defaults, inventory (its own levels already merged by `Inventory.variables(for:)`), gathered
/// facts, play vars / vars_prompt / vars_files, role vars, block vars, task vars, include_vars,
/// set_fact and registered results, role params, include params, magic variables, extra vars.
final class VariableManager: @unchecked Sendable {
    let templar: Templar
    let state: RunState
    let extraVars: OrderedDictionary<String, Value>
    /// Run-wide magic variables (`ansible_check_mode`, `omit`, `playbook_dir`, ...).
    let runMagic: OrderedDictionary<String, Value>
    private let viewLock = NSLock()
    private var view: InventoryView
    private let hostvarsLock = NSLock()
    private var hostvarsCache: (key: String, value: Value)?

    /// `-c`/`--connection`, else `ssh`: what `ansible_connection` says when nothing else does.
    let defaultConnection: String

    /// The placeholder `omit` renders to; arguments equal to it are removed.
    static let omitToken =
        "__omit_place_holder__" + UUID().uuidString.replacingOccurrences(of: "-", with: "")

    init(
        inventory: Inventory, templar: Templar, state: RunState,
        extraVars: OrderedDictionary<String, Value>,
        runMagic: OrderedDictionary<String, Value>, defaultConnection: String = "ssh"
    ) {
        self.defaultConnection = defaultConnection
        self.templar = templar
        self.state = state
        self.extraVars = extraVars
        var magic = runMagic
        magic["omit"] = .string(Self.omitToken)
        self.runMagic = magic
        view = InventoryView(inventory)
    }

    /// The inventory as `add_host` and `group_by` have left it so far.
    var inventory: Inventory { viewLock.withLock { view.inventory } }

    /// Applies an `add_host` or `group_by` result of `host` to the run's inventory.
    func apply(_ addition: InventoryAddition, host: String) {
        viewLock.withLock {
            var inventory = view.inventory
            inventory.apply(addition, currentHost: host)
            view = InventoryView(inventory)
        }
        hostvarsLock.withLock { hostvarsCache = nil }
    }

    /// Inventory variables of a host (implicit localhost included).
    func inventoryVariables(of host: String) -> OrderedDictionary<String, Value> {
        let view = viewLock.withLock { self.view }
        return view.variables[host] ?? view.inventory.variables(for: Host(name: host))
    }

    /// The host's scope at a task (or at play level when `task` is nil).
    func scope(
        host: String, play: PlayScope, frame: TaskFrame?, task: PlaybookTask?, withHostvars: Bool = true
    ) -> LayeredScope {
        let role = task?.role ?? frame?.role
        // `ansible_connection` as ansible-core shows a task's templates: any variable of that name wins
        // (every layer below does), else the `connection` keyword in force, else `-c`, else `ssh`. Only
        // in a task's scope: at play level (facts gathering) the play's keyword must still decide.
        let keyword =
            task.flatMap { t in frame?.keyword(t, \.connection) ?? t.keywords.connection }
            ?? frame?.keywords.reversed().lazy.compactMap(\.connection).first
        var layers: [OrderedDictionary<String, Value>] =
            task == nil ? [] : [["ansible_connection": .string(keyword ?? defaultConnection)]]
        layers.append(play.roleDefaults)
        layers.append(role?.defaults ?? [:])
        layers.append(inventoryVariables(of: host))
        let facts = state.facts(of: host)
        var factLayer = OrderedDictionary<String, Value>()
        for (k, v) in facts { factLayer["ansible_" + k] = v }
        factLayer["ansible_facts"] = .dict(facts)
        layers.append(factLayer)
        layers.append(play.variables)
        layers.append(role?.vars ?? [:])
        layers += frame?.blockVars ?? []
        layers.append(task?.keywords.vars ?? [:])
        layers.append(state.includedVars(of: host))
        layers.append(state.setFacts(of: host))
        layers.append(frame?.hostLayer ?? [:])
        layers.append(role?.params ?? [:])
        layers.append(frame?.includeParams ?? [:])
        var m = runMagic
        let view = viewLock.withLock { self.view }
        m.merge(view.magic[host] ?? Self.implicitMagic(host)) { $1 }
        m["groups"] = view.groups
        // As ansible-core: the play's hosts and its batch without the hosts that failed (in this play,
        // unless rescued, or earlier); `play_hosts` is the batch's old name.
        let out = state.hostsOutOfPlay
        let playHosts =
            out.isEmpty ? play.allHostsValue : .list(play.allHosts.filter { !out.contains($0) }.map(Value.string))
        let batch = out.isEmpty ? play.batchValue : .list(play.batch.filter { !out.contains($0) }.map(Value.string))
        m["ansible_play_hosts"] = playHosts
        m["ansible_play_batch"] = batch
        m["play_hosts"] = batch
        m["ansible_play_hosts_all"] = play.allHostsValue
        m["ansible_play_name"] = .string(play.name)
        m["playbook_dir"] = .string(play.baseDirectory)
        if let role {
            m["role_name"] = .string(role.name)
            m["role_path"] = .string(role.path)
        }
        layers.append(m)
        layers.append(extraVars)
        let scope = LayeredScope(layers: layers, templar: templar)
        // The scopes that build `hostvars` have none themselves, which keeps the build from recursing.
        if withHostvars { scope.computed["hostvars"] = { [unowned self] _ in self.hostvars(play: play) } }
        scope.computed["vars"] = { .dict($0.flattened()) }
        return scope
    }

    /// `hostvars`: every inventory host's play-level variables, templated in that host's scope
    /// (values that cannot be templated are shown as written).
    func hostvars(play: PlayScope) -> Value {
        // Built once per change of any host's variables (not once per host and task).
        let key = "\(state.variablesVersion)|\(play.name)|\(play.batch)"
        if let hit = hostvarsLock.withLock({ hostvarsCache?.key == key ? hostvarsCache?.value : nil }) { return hit }
        let value = buildHostvars(play: play)
        hostvarsLock.withLock { hostvarsCache = (key, value) }
        return value
    }

    private func buildHostvars(play: PlayScope) -> Value {
        var all = OrderedDictionary<String, Value>()
        for host in inventory.hosts.map(\.name) {
            let scope = scope(host: host, play: play, frame: nil, task: nil, withHostvars: false)
            var vars = OrderedDictionary<String, Value>()
            for (k, raw) in scope.flattened() where k != "hostvars" {
                vars[k] = (try? scope.lookup(k)) ?? raw
            }
            all[host] = .dict(vars)
        }
        return .dict(all)
    }

    /// Magic variables of a host outside the inventory (implicit localhost).
    static func implicitMagic(_ host: String) -> OrderedDictionary<String, Value> {
        [
            "inventory_hostname": .string(host), "inventory_hostname_short": .string(host),
            "group_names": .list([]),
        ]
    }
}

/// The play-level facts a scope needs: the play's own variables and its hosts.
struct PlayScope: Sendable {
    /// The play's name as shown.
    var name: String
    /// Play `vars`, then `vars_prompt` defaults, then `vars_files`, merged.
    var variables: OrderedDictionary<String, Value>
    /// Every host the play targets.
    var allHosts: [String] { didSet { allHostsValue = Self.list(allHosts) } }
    /// The hosts of the current batch.
    var batch: [String] { didSet { batchValue = Self.list(batch) } }
    /// The playbook folder of the play.
    var baseDirectory: String
    /// The defaults of the play's public roles (`roles:` and `import_role`, with their dependencies'),
    /// which ansible-core shows to every task of the play, below the task's own role defaults.
    var roleDefaults: OrderedDictionary<String, Value> = [:]
    /// `allHosts` and `batch` as template values, built once rather than in every host's scope at
    /// every task (which grows with hosts squared).
    private(set) var allHostsValue: Value
    private(set) var batchValue: Value

    init(
        name: String, variables: OrderedDictionary<String, Value>, allHosts: [String], batch: [String],
        baseDirectory: String
    ) {
        self.name = name
        self.variables = variables
        self.allHosts = allHosts
        self.batch = batch
        self.baseDirectory = baseDirectory
        allHostsValue = Self.list(allHosts)
        batchValue = Self.list(batch)
    }

    private static func list(_ hosts: [String]) -> Value { .list(hosts.map(Value.string)) }
}

/// An inventory with what the variable manager derives from it once: each host's variables and
/// magic variables, and `groups`.
private struct InventoryView {
    let inventory: Inventory
    let variables: [String: OrderedDictionary<String, Value>]
    let magic: [String: OrderedDictionary<String, Value>]
    let groups: Value

    init(_ inventory: Inventory) {
        self.inventory = inventory
        var vars: [String: OrderedDictionary<String, Value>] = [:]
        var hostMagic: [String: OrderedDictionary<String, Value>] = [:]
        for host in inventory.hosts {
            vars[host.name] = inventory.variables(for: host)
            hostMagic[host.name] = inventory.magicVariables(for: host)
        }
        variables = vars
        magic = hostMagic
        var groupMap = OrderedDictionary<String, Value>()
        for group in inventory.groups {
            groupMap[group.name] = .list(inventory.hostNames(inGroup: group.name).map(Value.string))
        }
        groups = .dict(groupMap)
    }
}
