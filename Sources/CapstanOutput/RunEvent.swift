import CapstanResults

/// What happens during a run, in the order it happens; every output format (terminal, JSON lines,
/// journal) is a reader of these, so each format shows the same run.
public enum RunEvent: Sendable {
    /// A run (an ad-hoc command or a playbook) starts; `hosts` are all the hosts it may touch.
    case runStarted(name: String, hosts: [String])
    /// A play starts (`PLAY [name]`).
    case playStarted(PlayInfo)
    /// A task or handler starts (`TASK [role : name]`, `RUNNING HANDLER [...]`).
    case taskStarted(TaskInfo)
    /// One host finished the current task (or one loop item of it).
    case hostResult(HostResult)
    /// A dynamic include was expanded for some hosts (`included: FILE for host1, host2`); `item` is
    /// the loop item's label when the include loops (`=> (item=label)`).
    case included(file: String, hosts: [String], item: String? = nil)
    /// Something the user should know that does not stop the run (`[WARNING]: ...`).
    case warning(String)
    /// A play's pattern matched no host (message `RunEvent.noHostsMatched`), or every host has
    /// dropped out (`RunEvent.noHostsRemaining`).
    case noHosts(message: String)
    /// The run ended; counters per host, in inventory order.
    case recap([(host: String, stats: HostStats)])
}

extension RunEvent {
    /// The `noHosts` message when a play's pattern matched no host.
    public static let noHostsMatched = "no hosts matched"
    /// The `noHosts` message when every host of a play has failed or become unreachable.
    public static let noHostsRemaining = "NO MORE HOSTS LEFT"
}

/// What output needs to know about a play.
public struct PlayInfo: Sendable {
    public var name: String
    public var hosts: [String]
    public var checkMode: Bool

    public init(name: String, hosts: [String], checkMode: Bool = false) {
        self.name = name
        self.hosts = hosts
        self.checkMode = checkMode
    }
}

/// What output needs to know about a task.
public struct TaskInfo: Sendable {
    /// The task's name as shown (`role : name`, or the action when unnamed).
    public var name: String
    /// Counts tasks from 1 over the whole run, every play included (`task_start`'s `index` in JSON output).
    public var index: Int
    /// The module or action (`apt`, `debug`, `include_tasks`).
    public var action: String
    /// Where the task is written (`FILE:LINE:COL`), for `-v` output and errors.
    public var location: String?
    public var isHandler: Bool
    /// The play the task belongs to, for the journal.
    public var play: String
    /// Whether the task has a loop: its per-host result then only summarises item results already
    /// shown, and output prints nothing more for it.
    public var loops: Bool
    /// Whether the action is a module Capstan does not implement, run as Ansible's own module on the
    /// node (the fallback); shown at `-v` and in JSON output.
    public var fallback: Bool

    public init(
        name: String, index: Int, action: String = "", location: String? = nil, isHandler: Bool = false,
        play: String = "", loops: Bool = false, fallback: Bool = false
    ) {
        self.name = name
        self.index = index
        self.action = action
        self.location = location
        self.isHandler = isHandler
        self.play = play
        self.loops = loops
        self.fallback = fallback
    }
}

/// Something that shows or records run events (terminal, JSON lines, the journal).
public protocol OutputSink: AnyObject, Sendable {
    /// Takes one event. Called from one task at a time, in order.
    func emit(_ event: RunEvent)
}
