import CapstanBasics
import Collections
import Foundation

/// `k8s` (kubernetes.core.k8s, subset): applies or deletes manifests with `kubectl` on the host, the
/// manifest on standard input, in one remote command. `definition` may be a dict, a list of dicts
/// (sent as a `List`) or YAML text; `template` takes text the engine has already rendered; `src` is a
/// file on the controller, read here (as the collection's action plugin reads it). `changed` comes
/// from kubectl's own words: `created`/`configured`/`deleted` against `unchanged` or nothing. Check
/// mode asks `kubectl diff` (present) or `kubectl get` (absent) instead. `wait` is honoured for
/// deletion (`--wait --timeout`); waiting for readiness after apply is not implemented.
public struct K8sModule: Module {
    public static let name = "k8s"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("state", choices: ["present", "absent"], default: "present"),
            ArgumentDefinition("src", .path), ArgumentDefinition("definition", .raw, aliases: ["resource_definition"]),
            ArgumentDefinition("template", .raw), ArgumentDefinition("kubeconfig", .path),
            ArgumentDefinition("namespace"), ArgumentDefinition("context"),
            ArgumentDefinition("wait", .bool, default: false), ArgumentDefinition("wait_timeout", .int, default: 120),
            ArgumentDefinition("apply", .bool, default: false), ArgumentDefinition("force", .bool, default: false),
        ], mutuallyExclusive: [["src", "definition", "template"]],
        requiredOneOf: [["src", "definition", "template"]])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { self.arguments = arguments }

    /// The manifest text for kubectl: YAML text as given, or JSON for structured values.
    func manifest() throws -> String {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        if let src = arguments.string("src") {
            guard let text = try? String(contentsOfFile: src, encoding: .utf8) else {
                throw fail("Error accessing \(src). Does the file exist?")
            }
            return text
        }
        switch arguments["definition"] ?? arguments["template"] ?? .null {
        case .string(let text): return text
        case .dict(let d): return Value.dict(d).json()
        case .list(let items):
            return Value.dict(["apiVersion": "v1", "kind": "List", "items": .list(items)]).json()
        default: throw fail("definition must be a dict, a list or a YAML string")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        let state = a.string("state") ?? "present"
        var flags: [String] = []
        if let k = a.string("kubeconfig") { flags += ["--kubeconfig", k] }
        if let c = a.string("context") { flags += ["--context", c] }
        if let n = a.string("namespace") { flags += ["-n", n] }
        var timeout = 120
        if case .int(let t)? = a["wait_timeout"] { timeout = t }
        let verb: [String]
        switch (state, context.checkMode) {
        case ("present", false): verb = ["apply"] + (a.bool("force") ? ["--force"] : []) + ["-f", "-"]
        case ("present", true): verb = ["diff", "-f", "-"]
        case (_, false):
            verb =
                ["delete", "--ignore-not-found"] + (a.bool("wait") ? ["--wait=true", "--timeout=\(timeout)s"] : []) + [
                    "-f", "-",
                ]
        default: verb = ["get", "--ignore-not-found", "-o", "name", "-f", "-"]
        }
        var options = context.commandOptions
        options.stdin = Array(try manifest().utf8)
        let line =
            "command -v kubectl >/dev/null 2>&1 || { echo 'kubectl not found on the host' >&2; exit 127; }\n"
            + "kubectl " + ShellWords.join(flags + verb)
        let result = try await context.connection.run(line, options: options)
        let stdout = result.stdoutText.trimmingTrailingNewlines()
        let lines = stdout.pythonSplitLines()
        let changed: Bool
        if context.checkMode {
            guard result.exitStatus == 0 || (state == "present" && result.exitStatus == 1) else {
                return .failed(result.stderrText.trimmingTrailingNewlines(), ["rc": .int(result.returnCode)])
            }
            changed = state == "present" ? result.exitStatus == 1 : !stdout.isEmpty
        } else {
            guard result.succeeded else {
                return .failed(result.stderrText.trimmingTrailingNewlines(), ["rc": .int(result.returnCode)])
            }
            changed = lines.contains { l in [" created", " configured", " deleted"].contains { l.hasSuffix($0) } }
        }
        let method = state == "present" ? (lines.contains { $0.hasSuffix(" created") } ? "create" : "update") : "delete"
        return ModuleOutcome(
            status: changed ? .changed : .ok,
            fields: ["method": .string(method), "result": .dict(["kubectl": .list(lines.map(Value.string))])])
    }
}
