import CapstanBasics
import CapstanModules
import CapstanPlaybook
import CapstanTemplating
import CapstanTransport
import Collections
import OrderedCollections

/// An action that runs on the controller rather than as a module on the host (Ansible's action
/// plugins without a module: `debug`, `set_fact`, `fail`, `assert`, `meta`, `include_vars`, ...).
///
/// How the engine uses it, per host (and per loop item):
/// 1. `TaskRunner` looks the task's action up in `ControllerActionRegistry` BEFORE `ModuleRegistry`;
///    a hit runs here, a miss goes to the module.
/// 2. The task's arguments are templated first (`Templar.renderDeep` in the host's scope, `omit`
///    removed), checked against the action's `spec` by the modules' checker (`ModuleArguments`: unknown,
///    missing, mistyped, choices and mutually exclusive arguments fail the task with Ansible's
///    messages, reported without the task's location as Ansible's actions do) and decoded once into
///    the action's typed properties by `init(arguments:)`. Raw
///    (untemplated) arguments are in `context.task.arguments` for actions that template themselves.
/// 3. `run(_:)` returns a `ControllerActionResult`: the `outcome` (status + registered fields, exactly
///    like a module's) and `effects` the engine applies after the task on that host:
///    - `facts`: written at the set_fact/registered level (Ansible's `set_fact`), visible to later tasks
///      and through `hostvars`;
///    - `variables`: written at the include_vars level (`include_vars`);
///    - `meta`: a `MetaRequest` for the strategy (`flush_handlers`, `end_play`, `end_host`, ...).
///    `changed_when`, `failed_when`, `register`, `ignore_errors`, `until` and `no_log` apply to the
///    outcome as for modules.
/// 4. Throwing a `TemplateError` fails the task on that host with the error and the task's location;
///    any other error fails it with the error's description.
///
/// Add an action by writing a `struct XAction: ControllerAction` with `static let name = "x"`, its
/// `spec` and `init(arguments:)`, and listing it in `ControllerActionRegistry.standard` (keep the list
/// sorted by name). Free-form text and arbitrary keys are declared in the spec (`acceptsFreeForm`,
/// `UnknownKeys.accepted`), never read around it.
public protocol ControllerAction: Sendable {
    /// The short name (`set_fact`); `ansible.builtin.set_fact` and `ansible.legacy.set_fact` find it too.
    static var name: String { get }
    /// The arguments this action takes, checked after templating, before it runs.
    static var spec: ArgumentSpec { get }
    /// Builds the action for one host (one loop item) from its checked arguments.
    init(arguments: ModuleArguments) throws
    /// Runs for one host (one loop item).
    func run(_ context: ControllerActionContext) async throws -> ControllerActionResult
}

extension ControllerAction {
    /// Checks one host's templated arguments against `spec` and builds the action from them.
    public init(checking arguments: OrderedDictionary<String, Value>) throws {
        try self.init(arguments: ModuleArguments(arguments, spec: Self.spec, module: Self.name))
    }

    /// Checks one host's templated arguments, builds the action and runs it: an argument error is a
    /// failed result with the checker's message alone, as Ansible's actions report it.
    public static func run(
        _ arguments: OrderedDictionary<String, Value>, in context: ControllerActionContext
    ) async throws -> ControllerActionResult {
        let action: Self
        do {
            action = try Self(checking: arguments)
        } catch let error as ModuleArgumentError {
            return ControllerActionResult(.failed(error.message))
        }
        return try await action.run(context)
    }
}

/// What a controller action sees for one host.
public struct ControllerActionContext: Sendable {
    /// The inventory name of the host the task runs for (not the delegate).
    public var host: String
    /// The task as written (raw arguments, keywords, location, role).
    public var task: PlaybookTask
    /// The host's variables at this task (lazy, templated on lookup): evaluate expressions with
    /// `templar.evaluate(_, scope: scope)` and conditions with `templar.condition(_, scope:)`.
    public var scope: any VariableScope & Sendable
    /// The run's templar.
    public var templar: Templar
    /// The connection of the host (or of the delegate), for actions that touch it (`template`).
    public var connection: any Connection
    /// Options for commands on the host (become, environment, timeout).
    public var commandOptions: CommandOptions
    /// `--check` (or the task's `check_mode`).
    public var checkMode: Bool
    /// `--diff` (or the task's `diff`).
    public var diffMode: Bool
    /// Folders to search for relative file names, most specific first: the role's folder (when the
    /// task comes from a role), then the play's folder (`playbook_dir`).
    public var searchPaths: [String]
    /// The modules, for actions that finish their work with one (`template` → `copy`).
    public var modules: ModuleRegistry
    /// `-v` count, for actions whose output depends on it (`debug`'s `verbosity`).
    public var verbosity: Int
}

/// What a controller action did: a result like a module's, and the effects the engine applies.
public struct ControllerActionResult: Sendable {
    /// Status and registered fields.
    public var outcome: ModuleOutcome
    /// Effects on the engine's state.
    public var effects: ControllerActionEffects

    /// A result with the given outcome and effects.
    public init(
        _ outcome: ModuleOutcome, effects: ControllerActionEffects = ControllerActionEffects()
    ) {
        self.outcome = outcome
        self.effects = effects
    }
}

/// Changes a controller action asks the engine to make after it ran on a host.
public struct ControllerActionEffects: Sendable {
    /// Host facts at the set_fact level (above play and task vars, below role params and extra vars).
    public var facts: OrderedDictionary<String, Value> = [:]
    /// Host variables at the include_vars level.
    public var variables: OrderedDictionary<String, Value> = [:]
    /// A request to the strategy.
    public var meta: MetaRequest?

    /// No effects.
    public init(
        facts: OrderedDictionary<String, Value> = [:],
        variables: OrderedDictionary<String, Value> = [:],
        meta: MetaRequest? = nil
    ) {
        self.facts = facts
        self.variables = variables
        self.meta = meta
    }
}

/// `meta:` requests the strategy carries out.
public enum MetaRequest: String, Sendable, CaseIterable {
    /// Run notified handlers now.
    case flushHandlers = "flush_handlers"
    /// Stop the play for every host (no failure).
    case endPlay = "end_play"
    /// Stop the play for this host (no failure).
    case endHost = "end_host"
    /// Stop the current batch (serial) for every host.
    case endBatch = "end_batch"
    /// Forget the host's gathered facts and set_facts.
    case clearFacts = "clear_facts"
    /// Forget the host's failed state (Ansible's `clear_host_errors`).
    case clearHostErrors = "clear_host_errors"
    /// Re-read the inventory; Capstan's inventory is static within a run, so nothing happens.
    case refreshInventory = "refresh_inventory"
    /// Nothing.
    case noop
    /// Reset the connection; the next command reconnects.
    case resetConnection = "reset_connection"
}

/// The controller actions, by the names Ansible accepts.
public struct ControllerActionRegistry: Sendable {
    private var types: [String: any ControllerAction.Type] = [:]

    /// The actions Capstan ships.
    public static let standard = ControllerActionRegistry([
        AddHostAction.self, AssertAction.self, DebugAction.self, FailAction.self, GroupByAction.self,
        IncludeVarsAction.self, MetaAction.self, SetFactAction.self, TemplateAction.self,
        ValidateArgumentSpecAction.self,
    ])

    /// A registry of the given actions.
    public init(_ actions: [any ControllerAction.Type]) {
        for a in actions { types[a.name] = a }
    }

    /// Every action's short name.
    public var names: Set<String> { Set(types.keys) }

    /// The action for a task's action name (short, `ansible.builtin.` or `ansible.legacy.`), if any.
    public func action(named name: String) -> (any ControllerAction.Type)? {
        var short = name
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            short = String(name.dropFirst(prefix.count))
        }
        return types[short]
    }
}
