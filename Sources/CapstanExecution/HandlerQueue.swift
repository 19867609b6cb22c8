import CapstanPlaybook
import Collections
import Foundation
import OrderedCollections

/// Handler notifications of a play: which hosts notified which handler, run once per flush in the
/// order the handlers are defined, only on the hosts that notified them.
final class HandlerQueue: @unchecked Sendable {
    /// A handler with what it inherits.
    struct Entry {
        var task: PlaybookTask
        var frame: TaskFrame
    }

    let handlers: [Entry]
    private var pending: [Int: [String]] = [:]
    private let lock = NSLock()

    /// The play's handlers flattened out of their blocks (role blocks keep their role scope).
    init(items: [TaskItem], frame: TaskFrame) {
        var entries: [Entry] = []
        func walk(_ items: [TaskItem], _ frame: TaskFrame) {
            for item in items {
                switch item {
                case .task(let t): entries.append(Entry(task: t, frame: frame))
                case .block(let b): walk(b.block + b.rescue + b.always, frame.entering(b))
                case .includeTasks(let i): entries.append(Entry(task: i.task, frame: frame))
                case .includeRole(let i): entries.append(Entry(task: i.task, frame: frame))
                }
            }
        }
        var handlerFrame = frame
        handlerFrame.isHandler = true
        walk(items, handlerFrame)
        handlers = entries
    }

    /// Records that `host` notified `names` (handler names, `role : name`, or listen topics).
    /// Returns the names that matched no handler.
    @discardableResult
    func notify(_ names: [String], host: String) -> [String] {
        var unknown: [String] = []
        lock.withLock {
            for name in names {
                var matched = false
                for (i, h) in handlers.enumerated() where Self.matches(h.task, name) {
                    matched = true
                    if !(pending[i]?.contains(host) ?? false) { pending[i, default: []].append(host) }
                }
                if !matched { unknown.append(name) }
            }
        }
        return unknown
    }

    static func matches(_ handler: PlaybookTask, _ name: String) -> Bool {
        if let own = handler.keywords.name, own == name { return true }
        if handler.keywords.name != nil, handler.displayName == name { return true }
        return handler.listen.contains(name)
    }

    /// Takes the notified handlers in definition order, each with its hosts, clearing them.
    /// With `hosts`, only notifications of those hosts are taken.
    func take(for hosts: Set<String>? = nil) -> [(Entry, [String])] {
        lock.withLock {
            var out: [(Entry, [String])] = []
            for i in handlers.indices {
                guard let notified = pending[i] else { continue }
                let taken = hosts.map { h in notified.filter(h.contains) } ?? notified
                let left = notified.filter { !taken.contains($0) }
                pending[i] = left.isEmpty ? nil : left
                if !taken.isEmpty { out.append((handlers[i], taken)) }
            }
            return out
        }
    }

    /// Forgets every notification of a host (it failed or ended).
    func drop(_ host: String) {
        lock.withLock {
            for (i, hosts) in pending { pending[i] = hosts.filter { $0 != host } }
        }
    }
}
