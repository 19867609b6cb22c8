import CapstanBasics
import CapstanResults
import Collections
import Foundation

/// What ansible-playbook's `default` callback prints: play and task banners, one line per host
/// result (with the result as JSON where Ansible shows it), errors with their source, diffs under
/// `--diff`, and the recap. A live progress line on standard error is cleared before each output.
public final class PlaybookTerminalOutput: OutputSink, @unchecked Sendable {
    /// How the output looks; the CLI fills it from its flags.
    public struct Options: Sendable {
        /// `-v` count: results as JSON from 1, task paths from 2, indented JSON and invocations from 3.
        public var verbosity = 0
        /// `--diff`: show `diff` of ok/changed results.
        public var showDiff = false
        /// Banner width; Ansible uses `max(79, terminal width - 1)`, 79 when not on a terminal.
        public var columns = PlaybookText.defaultColumns
        /// Ansible's `check_mode_markers` (off by default): `[CHECK MODE]` on banners and `DRY RUN`.
        public var checkModeMarkers = false
        /// Whether the run is in check mode, for the `DRY RUN` banner.
        public var checkMode = false
        /// Reads a playbook file for the source excerpt under errors (relative paths as given).
        public var readSource: @Sendable (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }

        /// Ansible's defaults: no `-v`, no diff, 79 columns.
        public init() {}

        /// Options for standard output as it is: its width when it is a terminal.
        public static func detect(verbosity: Int, showDiff: Bool, checkMode: Bool) -> Options {
            var o = Options()
            o.verbosity = verbosity
            o.showDiff = showDiff
            o.checkMode = checkMode
            var size = winsize()
            if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0 { o.columns = max(79, Int(size.ws_col) - 1) }
            return o
        }
    }

    /// Actions that run on the controller: their failures read `Action failed`, others `Module failed`.
    public static let controllerActions: Set<String> = [
        "assert", "fail", "debug", "set_fact", "include_vars", "pause", "add_host", "group_by", "meta", "set_stats",
        "include_tasks", "include_role", "import_tasks", "import_role",
    ]

    private let out: OutputStream
    private let style: TerminalStyle
    private let progress: ProgressLine?
    private let options: Options
    private let lock = NSLock()
    private var task: TaskInfo?
    private var playHosts = 0
    private var shownErrors: Set<String> = []
    private var shownWarnings: Set<String> = []

    /// A sink writing to `out`, coloured by `style`, with an optional live `progress` line.
    public init(
        out: OutputStream = .standardOutput, style: TerminalStyle, progress: ProgressLine?, options: Options = Options()
    ) {
        self.out = out
        self.style = style
        self.progress = progress
        self.options = options
    }

    /// Prints what Ansible's `default` callback prints for the event.
    public func emit(_ event: RunEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .runStarted:
            if options.checkMode && options.checkModeMarkers { banner("DRY RUN") }
        case .playStarted(let play):
            playHosts = play.hosts.count
            let marker = play.checkMode && options.checkModeMarkers ? " [CHECK MODE]" : ""
            banner(play.name.isEmpty ? "PLAY\(marker)" : "PLAY [\(play.name)]\(marker)")
        case .taskStarted(let info):
            task = info
            let prefix = info.isHandler ? "RUNNING HANDLER" : "TASK"
            let marker = options.checkMode && options.checkModeMarkers ? " [CHECK MODE]" : ""
            banner("\(prefix) [\(info.name)]\(marker)")
            if options.verbosity >= 2, let location = info.location { write("task path: \(location)", .debug) }
            if options.verbosity >= 1, info.fallback {
                write("fallback: '\(info.action)' is not implemented by Capstan; running Ansible's module", .debug)
            }
            progress?.start(total: playHosts)
        case .hostResult(let result):
            show(result)
            progress?.redraw()
        case .included(let file, let hosts, let item):
            write(
                "included: \(file) for \(hosts.joined(separator: ", "))" + (item.map { " => (item=\($0))" } ?? ""),
                .included)
        case .warning(let message):
            progress?.clear()
            OutputStream.standardError.write(style.paint("[WARNING]: \(message)", .warn) + "\n")
        case .noHosts(let message):
            // Tolerates the engine's phrasing ("skipping: no hosts matched", "no hosts remaining").
            if message.hasSuffix(RunEvent.noHostsMatched) {
                write("skipping: \(RunEvent.noHostsMatched)", .skip)
            } else {
                banner(RunEvent.noHostsRemaining)
            }
        case .recap(let rows):
            progress?.finish()
            banner("PLAY RECAP")
            for row in rows.sorted(by: { $0.host < $1.host }) {
                write(PlaybookText.recapLine(host: row.host, stats: row.stats, style: style), nil)
            }
            write("", nil)
            if options.checkMode && options.checkModeMarkers { banner("DRY RUN") }
        }
    }

    private func show(_ result: HostResult) {
        let action = task?.action.isEmpty == false ? task!.action : result.module
        if result.itemLabel == nil { progress?.record(result.status) }
        showWarnings(result)
        showError(result, action: action)
        let lines = ResultLines(result: result, action: action, task: task, verbosity: options.verbosity)
        if options.showDiff { showDiffs(result, isLoopSummary: lines.isLoopSummary) }
        for (text, color) in lines.lines { write(text, color) }
    }

    /// A result's `warnings` on standard error, each text once per run (Ansible's `_handle_warnings`).
    private func showWarnings(_ result: HostResult) {
        for warning in result.fields["warnings"]?.listValue ?? [] {
            let text = "[WARNING]: \(warning.pythonString)"
            guard shownWarnings.insert(text).inserted else { continue }
            progress?.clear()
            OutputStream.standardError.write(style.paint(text, .warn) + "\n")
        }
    }

    /// `[ERROR]: Task failed: ...` with the task's source, once per distinct text, as Ansible 2.19 does.
    private func showError(_ result: HostResult, action: String) {
        // Ansible 2.19 gives every failed result an error summary (`exception`) and shows it.
        guard result.status == .failed || result.fields["exception"]?.isTruthy == true, result.status != .unreachable,
            !(result.itemLabel == nil && ResultLines.summarisesLoop(result.fields, taskLoops: task?.loops == true))
        else { return }
        let kind = Self.controllerActions.contains(ResultDisplay.shortName(action)) ? "Action" : "Module"
        let msg = result.fields["msg"]?.pythonString ?? "Unknown error."
        var text = "[ERROR]: Task failed: \(kind) failed: \(msg)"
        if let location = task?.location {
            let file = String(location.split(separator: ":").first ?? "")
            text += "\n" + SourceContext.render(location: location, source: options.readSource(file))
        }
        guard shownErrors.insert(text).inserted else { return }
        write(text + "\n\n", .error)
    }

    private func showDiffs(_ result: HostResult, isLoopSummary: Bool) {
        guard result.status == .ok || result.status == .changed else { return }
        let entries: [OrderedDictionary<String, Value>] =
            isLoopSummary ? (result.fields["results"]?.listValue ?? []).compactMap(\.dictValue) : [result.fields]
        guard isLoopSummary || result.itemLabel == nil else { return }
        for fields in entries {
            guard let diff = fields["diff"], diff.isTruthy, fields["changed"]?.isTruthy == true else { continue }
            let text = DiffText.render(diff, style: style)
            if !text.isEmpty { write(text, nil) }
        }
    }

    private func banner(_ message: String) {
        write(PlaybookText.banner(message, columns: options.columns), nil)
    }

    /// Ansible's `Display.display`: one trailing newline, colour per line.
    private func write(_ text: String, _ color: AnsibleColor?) {
        progress?.clear()
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        out.write((color.map { style.paint(body, $0) } ?? body) + "\n")
    }
}
