import CapstanBasics
import CapstanResults
import Collections
import Foundation

/// Ansible's ad-hoc output (its `minimal` callback): `host | CHANGED | rc=0 >>` and the command's
/// output for the command family, `host | SUCCESS => {json}` for other modules.
public final class AdHocTerminalOutput: OutputSink, @unchecked Sendable {
    /// Modules whose result is shown as text, not JSON (Ansible's `MODULE_NO_JSON`).
    public static let textModules: Set<String> = ["command", "shell", "raw"]

    private let out: OutputStream
    private let style: TerminalStyle
    private let progress: ProgressLine?
    private let lock = NSLock()

    public init(out: OutputStream = .standardOutput, style: TerminalStyle, progress: ProgressLine?) {
        self.out = out
        self.style = style
        self.progress = progress
    }

    public func emit(_ event: RunEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .runStarted(_, let hosts):
            progress?.start(total: hosts.count)
        case .playStarted, .taskStarted, .included:
            break
        case .warning(let message):
            progress?.clear()
            OutputStream.standardError.write("[WARNING]: \(message)\n")
        case .noHosts(let message):
            progress?.clear()
            OutputStream.standardError.write("[WARNING]: \(message)\n")
        case .hostResult(let result):
            progress?.clear()
            out.write(style.paint(Self.render(result), for: result.status) + "\n")
            progress?.record(result.status)
            progress?.redraw()
        case .recap:
            progress?.finish()
        }
    }

    /// The text Ansible prints for one host's result (without colour).
    public static func render(_ result: HostResult) -> String {
        let module = result.module.split(separator: ".").last.map(String.init) ?? result.module
        let caption: String
        switch result.status {
        case .ok: caption = "SUCCESS"
        case .changed: caption = "CHANGED"
        case .failed: caption = "FAILED"
        case .unreachable: return "\(result.host) | UNREACHABLE! => \(dump(result.fields))"
        case .skipped: return "\(result.host) | SKIPPED"
        }
        if textModules.contains(module) && result.fields["rc"] != nil {
            var text = "\(result.host) | \(caption) | rc=\(result.fields["rc"]!.pythonString) >>\n"
            for key in ["stdout", "stderr", "msg"] {
                text += result.fields[key]?.stringValue ?? ""
            }
            return text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
        let marker = result.status == .failed ? "FAILED!" : caption
        return "\(result.host) | \(marker) => \(dump(result.fields))"
    }

    /// `json.dumps(result, indent=4, sort_keys=True)` without Ansible's internal keys.
    static func dump(_ fields: OrderedDictionary<String, Value>) -> String {
        var shown = fields
        for key in shown.keys where key.hasPrefix("_ansible") || key == "invocation" {
            shown.removeValue(forKey: key)
        }
        return Value.dict(shown).json(.nice)
    }
}
