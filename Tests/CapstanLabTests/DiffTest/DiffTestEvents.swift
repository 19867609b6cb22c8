import Foundation

/// The per-task statuses of one run, from its JSON-lines events: one line per result as
/// `task name [item] => status`, handlers marked, ignored failures marked.
enum DiffTestEvents {
    /// Ansible's callback also receives a loop task's combined result after its items; Capstan's
    /// events carry the items only, so that combined result is left out (the items say it all).
    /// Likewise an include's own result (`include_tasks`, `include_role`), which ansible-playbook
    /// shows as `included: ...` and Capstan reports as an `included` event: the included tasks'
    /// results are compared, the include's bookkeeping result is not (ansible-core itself sends one
    /// for `include_role` under `--check` but not in a real run).
    static func statuses(_ jsonLines: String) -> [String] {
        var task = ""
        var loops = false
        var lines: [String] = []
        for line in jsonLines.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let event = object["event"] as? String
            else { continue }
            switch event {
            case "task_start":
                let name = object["name"] as? String ?? ""
                task = (object["handler"] as? Bool ?? false) ? "handler " + name : name
                loops = object["loop"] as? Bool ?? false
            case "host_result":
                if loops && object["item"] == nil { continue }
                if Self.includeActions.contains(object["module"] as? String ?? "") { continue }
                var text = task
                if let item = object["item"] as? String { text += " [\(item)]" }
                text += " => " + (object["status"] as? String ?? "?")
                if object["ignored"] as? Bool ?? false { text += " (ignored)" }
                lines.append(text)
            default:
                continue
            }
        }
        return lines
    }

    static let includeActions: Set<String> = [
        "include_tasks", "include_role", "ansible.builtin.include_tasks", "ansible.builtin.include_role",
        "ansible.legacy.include_tasks", "ansible.legacy.include_role",
    ]

    /// How many results a run reported as changed.
    static func changedCount(_ statuses: [String]) -> Int {
        statuses.filter { $0.hasSuffix("=> changed") }.count
    }

    /// The lines that differ, `-` Ansible's and `+` Capstan's, in order (a line-level diff).
    static func difference(ansible: [String], capstan: [String]) -> [String] {
        capstan.difference(from: ansible).map { change in
            switch change {
            case .remove(_, let line, _): return "- " + line
            case .insert(_, let line, _): return "+ " + line
            }
        }
    }
}

/// A difference the test accepts, with the documented reason; everything else is a bug.
struct DiffTestAllowance: Sendable {
    /// `check`, `run1`, `run2`, or `state` for the node states after the real runs.
    let pass: String
    /// A line of the difference (after its `-`/`+` mark) containing this text is allowed.
    let contains: String
    let reason: String

    func allows(_ pass: String, _ difference: String) -> Bool {
        self.pass == pass && difference.dropFirst(2).contains(contains)
    }
}
