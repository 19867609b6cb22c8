import CapstanBasics
import Collections
import Foundation

/// `service_facts`: `ansible_facts.services` as Ansible's module builds it on a Linux node, from one
/// remote program (`service-facts.sh`) that runs the same tools (`service --status-all`, `systemctl
/// list-units` and `list-unit-files`, `systemctl show` for unit files not loaded) and tags their output
/// for `ServiceFactsParser`.
public struct ServiceFactsModule: Module {
    public static let name = "service_facts"
    public static let spec = ArgumentSpec([])

    public init(arguments: ModuleArguments) throws {}

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let result = try await context.connection.run(
            RemoteProgram.prelude + NodePrograms.serviceFacts, options: context.commandOptions)
        guard result.succeeded else { return .failed("could not list the services: \(result.stderrText)") }
        let scan = ServiceFactsParser.parse(result.stdoutText)
        if scan.services.isEmpty {
            return ModuleOutcome(
                status: .skipped,
                fields: [
                    "msg":
                        "Failed to find any services. This can be due to privileges or some other configuration issue."
                ])
        }
        var fields: OrderedDictionary<String, Value> = [
            "ansible_facts": .dict(["services": .dict(scan.services.mapValues { .dict($0) })])
        ]
        if !scan.warnings.isEmpty { fields["warnings"] = .list(scan.warnings.map(Value.string)) }
        return ModuleOutcome(status: .ok, fields: fields)
    }
}

/// Reads `service-facts.sh`'s tagged output as Ansible's `ServiceScanService._list_sysvinit` and
/// `SystemctlScanService` read the tools' output: sysv entries first, then systemd's loaded units,
/// then the unit files, a later entry replacing an earlier one of the same name in place.
enum ServiceFactsParser {
    struct Scan {
        var services: OrderedDictionary<String, OrderedDictionary<String, Value>> = [:]
        var warnings: [String] = []
    }

    /// Unit states that win over what the unit file says.
    static let badStates: Set<String> = ["not-found", "masked", "failed"]

    static func parse(_ output: String) -> Scan {
        var tagged: [Character: [String]] = [:]
        var status: [String: Int] = [:]
        var activeStates: [String: String] = [:]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let tag = line.first, line.count >= 2 else { continue }
            let text = String(line.dropFirst(2))
            switch tag {
            case "R":
                let words = text.split(separator: " ")
                if words.count == 2, let code = Int(words[1]) { status[String(words[0])] = code }
            case "A":
                let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                if words.count == 2 && !words[1].isEmpty {
                    activeStates[String(words[0])] = trimmingTrailingWhitespace(String(words[1]))
                }
            default: tagged[tag, default: []].append(text)
            }
        }
        var scan = Scan()
        if let rc = status["service"], !(rc == 4 && status["initd"] == nil) {
            if rc != 0 { scan.warnings.append("Unable to query 'service' tool (\(rc)): ") }
            sysv((tagged["S"] ?? []).joined(separator: "\n") + "\n", into: &scan)
        }
        if let rc = status["units"] {
            if rc != 0 {
                scan.warnings.append("Could not list units from systemd: ")
            } else {
                for line in tagged["U"] ?? [] where line.contains(".service") { unit(line, into: &scan) }
            }
        }
        if let rc = status["files"] {
            if rc != 0 {
                scan.warnings.append("Could not get unit files data from systemd: ")
            } else {
                for line in tagged["F"] ?? [] where line.contains(".service") {
                    let fields = line.split(whereSeparator: \.isPythonWhitespace).map(String.init)
                    guard fields.count >= 2 else { continue }
                    let (name, unitStatus) = (fields[0], fields[1])
                    if var known = scan.services[name] {
                        if case .string(let s)? = known["status"], !badStates.contains(s) {
                            known["status"] = .string(unitStatus)
                            scan.services[name] = known
                        }
                    } else {
                        scan.services[name] = entry(name, activeStates[name] ?? "unknown", unitStatus, "systemd")
                    }
                }
            }
        }
        return scan
    }

    /// `service --status-all`'s output read with Ansible's multi-line pattern, whose `\s` also
    /// crosses line breaks (a bare `[ + ]` takes the next line as its name, as in Ansible).
    static let sysvPattern = try! NSRegularExpression(
        pattern: #"^\s*\[ (\+|\-) \]\s+(.+)$"#, options: [.anchorsMatchLines])

    static func sysv(_ text: String, into scan: inout Scan) {
        let whole = NSRange(text.startIndex..., in: text)
        for match in sysvPattern.matches(in: text, range: whole) {
            guard let state = Range(match.range(at: 1), in: text), let name = Range(match.range(at: 2), in: text)
            else { continue }
            let service = String(text[name])
            scan.services[service] = [
                "name": .string(service), "state": .string(text[state] == "+" ? "running" : "stopped"),
                "source": "sysv",
            ]
        }
    }

    /// One line of `systemctl list-units --plain`: a bad state anywhere but the description wins over
    /// the active state; `running` in the sub-state column makes it running.
    static func unit(_ line: String, into scan: inout Scan) {
        let fields = line.split(whereSeparator: \.isPythonWhitespace).map(String.init)
        guard fields.count >= 4 else { return }
        let early = fields.dropLast()
        let status = ["not-found", "masked", "failed"].first { early.contains($0) } ?? fields[2]
        scan.services[fields[0]] = entry(fields[0], fields[3] == "running" ? "running" : "stopped", status, "systemd")
    }

    static func entry(_ name: String, _ state: String, _ status: String, _ source: String)
        -> OrderedDictionary<String, Value>
    {
        ["name": .string(name), "state": .string(state), "status": .string(status), "source": .string(source)]
    }

    static func trimmingTrailingWhitespace(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.last, last.isPythonWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension Character {
    /// What Python's `str.split()` splits on: Unicode white space and the separators `\x1c`-`\x1f`.
    var isPythonWhitespace: Bool {
        isWhitespace || unicodeScalars.allSatisfy { (0x1C...0x1F).contains($0.value) }
    }
}
