import CapstanBasics
import Collections
import Foundation

/// `apt_repository`: a one-line `deb`/`deb-src` source, in one remote program. The line is
/// normalised as Ansible's module does (whitespace collapsed, `# comment` split off); present means
/// some sources file has it enabled (a commented-out copy is enabled in place, else the line is
/// appended to `FILENAME.list`, by default named after the URL as Ansible names it); absent removes
/// every enabled copy and deletes a file left empty. A changed file is rewritten with Ansible's
/// normalised lines; other files are left as they are (Ansible rewrites every sources file). The
/// cache is updated after a change when `update_cache` (the default), and the files are put back if
/// that fails. PPAs (`ppa:`) are Ubuntu-only and not supported.
public struct AptRepositoryModule: Module {
    public static let name = "apt_repository"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("repo", required: true),
        ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ArgumentDefinition("mode", .raw),
        ArgumentDefinition("update_cache", .bool, aliases: ["update-cache"], default: true),
        ArgumentDefinition("update_cache_retries", .int, default: 5),
        ArgumentDefinition("update_cache_retry_max_delay", .int, default: 12), ArgumentDefinition("filename"),
        ArgumentDefinition("install_python_apt", .bool, default: true),
        ArgumentDefinition("validate_certs", .bool, default: true), ArgumentDefinition("codename"),
    ])

    let repo: String
    let source: String
    let file: String
    let mode: String?
    let state: String
    let updateCache: Bool
    let retries: Int

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        repo = arguments.string("repo") ?? ""
        if repo.isEmpty { throw fail("Please set argument 'repo' to a non-empty value") }
        guard let parsed = Self.parse(repo), parsed.enabled, parsed.valid else {
            throw fail("Invalid repository string: \(Self.parse(repo)?.rest ?? repo)")
        }
        source = parsed.source
        let name = Self.suggestedName(source, filename: arguments.string("filename"))
        file = name.contains("/") ? name : "/etc/apt/sources.list.d/\(name)"
        state = arguments.string("state") ?? "present"
        updateCache = arguments.bool("update_cache")
        if case .int(let r)? = arguments["update_cache_retries"] { retries = max(r, 1) } else { retries = 5 }
        switch arguments["mode"] {
        case .int(let m)?: mode = String(m, radix: 8)
        case .string(let s)?: mode = s
        default: mode = nil
        }
    }

    /// Ansible's `_parse`: whether the line is a source, whether it is enabled, the source with
    /// whitespace collapsed, the comment, and the text Ansible names in "Invalid repository string".
    static func parse(_ line: String) -> (valid: Bool, enabled: Bool, source: String, comment: String, rest: String)? {
        var l = Substring(line.trimmingWhitespace())
        var enabled = true
        if l.hasPrefix("#") {
            enabled = false
            l = l.dropFirst()
        }
        var comment = ""
        if let i = l.firstIndex(of: "#"), i != l.startIndex {
            comment = String(l[l.index(after: i)...]).trimmingWhitespace()
            l = l[..<i]
        }
        let chunks = l.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let valid = chunks.first.map { $0 == "deb" || $0 == "deb-src" } ?? false
        return (
            valid, enabled, valid ? chunks.joined(separator: " ") : String(l).trimmingWhitespace(), comment, String(l)
        )
    }

    /// Ansible's `_suggest_filename`: the URL's host and path, punctuation turned into `_`, + `.list`.
    static func suggestedName(_ source: String, filename: String?) -> String {
        if let filename { return filename + ".list" }
        var line = source.replacingOccurrences(of: #"\[[^\]]+\]"#, with: "", options: .regularExpression)
        line = line.replacingOccurrences(of: #"\w+://"#, with: "", options: .regularExpression)
        let parts = line.split(separator: " ").filter { $0 != "deb" && $0 != "deb-src" }
        var first = parts.first.map(String.init) ?? ""
        if let at = first.firstIndex(of: "@") { first = String(first[first.index(after: at)...]) }
        let words = first.replacingOccurrences(of: "[^a-zA-Z0-9]", with: " ", options: .regularExpression)
            .split(separator: " ")
        return words.joined(separator: "_") + ".list"
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let report = try await RemoteProgram.run(
            [
                "src": source, "state": state, "file": file, "mode": mode ?? "0644",
                "update": RemoteProgram.flag(updateCache), "retries": "\(retries)",
                "check": RemoteProgram.flag(context.checkMode),
            ], AptRepositoryProgram.body, in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        let changed = report.flag("changed")
        var fields: OrderedDictionary<String, Value> = [
            "repo": .string(repo), "sources_added": .list(report.all("added").map(Value.string)),
            "sources_removed": .list(report.all("removed").map(Value.string)), "state": .string(state),
        ]
        if context.diffMode { fields["diff"] = .list([]) }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }
}
