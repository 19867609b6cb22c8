import CapstanBasics
import CapstanResults
import Collections

/// The lines the `default` callback prints for one host result (or loop item), with their colours.
struct ResultLines {
    /// The lines in order, each without its newline.
    private(set) var lines: [(String, AnsibleColor?)] = []
    /// Whether the result only summarises loop items already shown.
    let isLoopSummary: Bool

    init(result: HostResult, action: String, task: TaskInfo?, verbosity: Int) {
        isLoopSummary = result.itemLabel == nil && Self.summarisesLoop(result.fields, taskLoops: task?.loops == true)
        var fields = result.fields
        if isLoopSummary { fields.removeValue(forKey: "results") }
        // Ansible 2.19 turns `failed` into the result's status before callbacks see it.
        if result.status == .failed { fields.removeValue(forKey: "failed") }
        let label = PlaybookText.hostLabel(result)
        let short = ResultDisplay.shortName(action)
        let isInclude = ResultDisplay.includeActions.contains(short)
        let cleaned = ResultDisplay.clean(fields, action: short)
        let verbose = ResultDisplay.isVerbose(fields, verbosity: verbosity)
        let dump = { ResultDisplay.dump(cleaned, verbosity: verbosity) }

        if let _ = result.itemLabel {
            let item = PlaybookText.itemLabel(result)
            switch result.status {
            case .ok, .changed:
                guard !isInclude else { return }
                let word = result.status == .changed ? "changed" : "ok"
                lines.append(
                    ("\(word): [\(label)] => (item=\(item))" + (verbose ? " => \(dump())" : ""), color(result.status)))
            case .failed:
                lines.append(("failed: [\(label)] (item=\(item)) => \(dump())", .error))
            case .skipped:
                lines.append(
                    ("skipping: [\(result.host)] => (item=\(item)) " + (verbose ? " => \(dump())" : ""), .skip))
            case .unreachable:
                lines.append(("fatal: [\(label)]: UNREACHABLE! => \(dump())", .unreachable))
            }
            return
        }
        switch result.status {
        case .ok, .changed:
            guard !isInclude, !isLoopSummary else { return }
            let word = result.status == .changed ? "changed" : "ok"
            lines.append(("\(word): [\(label)]" + (verbose ? " => \(dump())" : ""), color(result.status)))
        case .failed:
            if !isLoopSummary { lines.append(("fatal: [\(label)]: FAILED! => \(dump())", .error)) }
            if result.ignored { lines.append(("...ignoring", .skip)) }
        case .skipped:
            lines.append(("skipping: [\(result.host)]" + (verbose ? " => \(dump())" : ""), .skip))
        case .unreachable:
            lines.append(
                ("fatal: [\(label)]: UNREACHABLE! => \(ResultDisplay.dump(fields, verbosity: verbosity))", .unreachable)
            )
            if result.ignored { lines.append(("...ignoring", .skip)) }
        }
    }

    /// Whether `fields` is a loop's summary: the task says it loops, or every entry of `results` is an
    /// item result (they carry `ansible_loop_var`).
    static func summarisesLoop(_ fields: OrderedDictionary<String, Value>, taskLoops: Bool) -> Bool {
        guard let results = fields["results"]?.listValue else { return false }
        if taskLoops { return true }
        return !results.isEmpty && results.allSatisfy { $0["ansible_loop_var"] != nil }
    }

    private func color(_ status: TaskStatus) -> AnsibleColor {
        status == .changed ? .changed : .ok
    }
}
