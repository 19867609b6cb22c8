import CapstanBasics
import Collections

/// How one task ended on one host, with Ansible's meanings.
public enum TaskStatus: String, Sendable, Codable {
    /// Ran and changed nothing (Ansible's `ok`; `SUCCESS` in ad-hoc output).
    case ok
    /// Ran and changed something.
    case changed
    /// Ran and failed.
    case failed
    /// The host could not be reached or authenticated.
    case unreachable
    /// Not run, because a condition said so.
    case skipped
}

/// The result of one task (or ad-hoc module call) on one host.
public struct HostResult: Sendable {
    /// The inventory name of the host.
    public var host: String
    /// How it ended.
    public var status: TaskStatus
    /// What a `register:` would hold: `changed`, `rc`, `stdout`, `msg`, and the module's own fields.
    public var fields: OrderedDictionary<String, Value>
    /// Wall time spent on this host for this task.
    public var duration: Duration
    /// The module that ran, to decide how a result is shown (command output vs a JSON dump).
    public var module: String
    /// For one item of a loop: the item's label as shown (`(item=...)`).
    public var itemLabel: String?
    /// The host the task ran on when delegated (`ok: [web -> db]`).
    public var delegatedTo: String?
    /// A failure that `ignore_errors` turned into `...ignoring`.
    public var ignored: Bool = false
    /// A command that check mode did not run ("Command would have run if not in check mode"), known
    /// even when `no_log` hid the message.
    public var notRunInCheckMode: Bool = false

    /// Whether module fields say that check mode kept a command from running.
    public static func notRunInCheckMode(_ status: TaskStatus, _ fields: OrderedDictionary<String, Value>) -> Bool {
        status == .skipped && fields["msg"]?.stringValue == "Command would have run if not in check mode"
    }

    public init(
        host: String, status: TaskStatus, fields: OrderedDictionary<String, Value>, duration: Duration = .zero,
        module: String
    ) {
        self.host = host
        self.status = status
        self.fields = fields
        self.duration = duration
        self.module = module
    }
}

/// Per-host counters shown in the recap, as in Ansible's `PLAY RECAP`.
public struct HostStats: Sendable, Equatable, Codable {
    public var ok = 0
    public var changed = 0
    public var unreachable = 0
    public var failed = 0
    public var skipped = 0
    public var rescued = 0
    public var ignored = 0

    public init() {}

    /// Counts one result the way Ansible does: a changed task counts as ok and changed.
    public mutating func record(_ status: TaskStatus) {
        switch status {
        case .ok: ok += 1
        case .changed:
            ok += 1
            changed += 1
        case .failed: failed += 1
        case .unreachable: unreachable += 1
        case .skipped: skipped += 1
        }
    }
}
