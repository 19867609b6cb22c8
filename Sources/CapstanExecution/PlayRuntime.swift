import CapstanBasics
import CapstanModules
import CapstanOutput
import CapstanPlaybook
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// Run-wide settings from the command line.
public struct PlaybookOptions: Sendable {
    /// `--check`.
    public var checkMode = false
    /// `--diff`.
    public var diffMode = false
    /// `--forks`.
    public var forks = 5
    /// `-v` count.
    public var verbosity = 0
    /// `--tags` / `--skip-tags`.
    public var tags = TagSelection()
    /// `--start-at-task`.
    public var startAtTask: String?
    /// `--limit`.
    public var limit: String?
    /// `-e` values, merged in order.
    public var extraVars: OrderedDictionary<String, Value> = [:]

    /// Defaults: no check, no diff, 5 forks, everything tagged runs.
    public init() {}
}

/// Everything a task needs that is shared by all hosts of a play: variables, connections, output.
final class PlayRuntime: @unchecked Sendable {
    let options: PlaybookOptions
    let variables: VariableManager
    let connections: HostConnections
    let sink: any OutputSink
    let modules: ModuleRegistry
    let actions: ControllerActionRegistry
    let moduleNames: ModuleNames
    let roleSearchPaths: [String]
    var templar: Templar { variables.templar }
    var state: RunState { variables.state }
    /// The play being run and its current batch.
    var play: PlayScope
    /// The play's `max_fail_percentage`, rendered.
    var maxFailPercentage: Double?
    /// The play's `force_handlers`.
    var forceHandlers = false
    /// Whether `--start-at-task` is still looking for its task.
    var waitingForStartTask: Bool

    init(
        options: PlaybookOptions, variables: VariableManager, connections: HostConnections,
        sink: any OutputSink,
        modules: ModuleRegistry, actions: ControllerActionRegistry, roleSearchPaths: [String],
        play: PlayScope
    ) {
        self.options = options
        self.variables = variables
        self.connections = connections
        self.sink = sink
        self.modules = modules
        self.actions = actions
        self.moduleNames = ModuleNames(known: Set(modules.names).union(actions.names))
        self.roleSearchPaths = roleSearchPaths
        self.play = play
        self.waitingForStartTask = options.startAtTask != nil
    }

    /// Announces a task, numbered over the whole run (a run's plays each have a runtime of their own).
    func startTask(_ task: PlaybookTask, handler: Bool) {
        let index = state.nextTaskIndex()
        sink.emit(
            .taskStarted(
                TaskInfo(
                    name: task.displayName, index: index, action: task.action, location: "\(task.location)",
                    isHandler: handler, play: play.name, fallback: usesFallback(task))))
    }

    /// Whether the task's action is a module Capstan lacks, run through `AnsibleModuleFallback`.
    func usesFallback(_ task: PlaybookTask) -> Bool {
        !task.isUnresolved && moduleNames.canonical(task.action) == nil
    }

    /// The scope of a host at a task.
    func scope(_ host: String, _ frame: TaskFrame?, _ task: PlaybookTask?) -> LayeredScope {
        variables.scope(host: host, play: play, frame: frame, task: task)
    }
}
