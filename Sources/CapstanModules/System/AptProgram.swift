import CapstanBasics
import CapstanTransport
import Collections

/// The sh program behind `apt`, and how its report becomes Ansible's result. The program prints
/// `key=value` lines (`cache_updated`, `cache_update_time`, `op`, `changed`, `rc`, `cmd`), then
/// apt-get's standard output and standard error after marker lines.
enum AptProgram {
    static let stdoutMarker = "__CAPSTAN_APT_STDOUT__"
    static let stderrMarker = "__CAPSTAN_APT_STDERR__"

    /// The report (lines before the first marker) and apt-get's own output.
    static func split(_ result: CommandResult) -> (ProgramReport, (stdout: String, stderr: String)) {
        let text = result.stdoutText
        var head = Substring(text)
        var out = ""
        var err = ""
        if let m = text.range(of: "\n" + stdoutMarker + "\n") {
            head = text[..<m.lowerBound]
            let rest = text[m.upperBound...]
            if let e = rest.range(of: stderrMarker + "\n") {
                out = String(rest[..<e.lowerBound])
                err = String(rest[e.upperBound...])
            } else {
                out = String(rest)
            }
        }
        var trimmed = result
        trimmed.stdout = Array(head.utf8)
        return (ProgramReport(trimmed), (out, err))
    }

    /// Ansible's result for what the program did.
    static func outcome(_ report: ProgramReport, stdout: (stdout: String, stderr: String), state: String)
        -> ModuleOutcome
    {
        let cacheUpdated = report.flag("cache_updated")
        let cacheFields: OrderedDictionary<String, Value> = [
            "cache_updated": .bool(cacheUpdated),
            "cache_update_time": .int(Int(report["cache_update_time"] ?? "0") ?? 0),
        ]
        let op = report["op"] ?? "none"
        if op == "cacheonly" { return ModuleOutcome(status: cacheUpdated ? .changed : .ok, fields: cacheFields) }
        var output: OrderedDictionary<String, Value> = [
            "stdout": .string(stdout.stdout), "stderr": .string(stdout.stderr),
            "stdout_lines": .list(stdout.stdout.pythonSplitLines().map(Value.string)),
            "stderr_lines": .list(stdout.stderr.pythonSplitLines().map(Value.string)),
        ]
        // Ansible's clean and upgrade also return apt-get's output as `msg`.
        if op == "clean" || op == "upgrade" { output["msg"] = .string(stdout.stdout) }
        if let rc = report["rc"].flatMap({ Int($0) }), rc != 0 {
            output["rc"] = .int(rc)
            return .failed("'\(report["cmd"] ?? "apt-get")' failed: \(stdout.stderr)", output)
        }
        let changed = report.flag("changed")
        let withCache = op == "install"
        // A deb, an upgrade and a cleanup report apt-get's output even when nothing changed.
        let alwaysReports = ["deb", "upgrade", "autoclean", "autoremove"].contains(op)
        if !changed && !alwaysReports { return ModuleOutcome(status: .ok, fields: withCache ? cacheFields : [:]) }
        if withCache { output.merge(cacheFields) { a, _ in a } }
        if report["ran"] != "1" { output = withCache ? cacheFields : [:] }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: output)
    }

    static let body = NodePrograms.apt
}
