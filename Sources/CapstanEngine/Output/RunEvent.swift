/// What happens during a run, in the order it happens; every output format is a reader of these.
public enum RunEvent: Sendable {
    /// A play (or an ad-hoc run) starts on these hosts.
    case runStarted(name: String, hosts: [String])
    /// A task starts; `index` counts tasks from 1 within the run.
    case taskStarted(name: String, index: Int)
    /// One host finished the current task.
    case hostResult(HostResult)
    /// The run ended; counters per host, in inventory order.
    case recap([(host: String, stats: HostStats)])
}

/// Something that shows or records run events (terminal, JSON lines, the journal).
public protocol OutputSink: AnyObject, Sendable {
    /// Takes one event. Called from one task at a time, in order.
    func emit(_ event: RunEvent)
}
