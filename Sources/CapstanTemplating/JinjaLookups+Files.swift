import CapstanBasics
import Collections
import Foundation

/// Lookups that find files on the controller: `first_found`, `fileglob` and `template`, each
/// searching the role's and the play's folders as Ansible's `find_file_in_search_path` does.
extension JinjaLookups {
    static func registerFiles(in env: TemplateEnvironment) {
        env.lookups["first_found"] = { try firstFound($0, subdir: nil) }
        env.lookups["fileglob"] = { args in
            .list(args.positional.flatMap { fileglob($0.pythonString, scope: args.scope) })
        }
        env.lookups["template"] = template
    }

    /// `first_found`: the first existing file among the terms (names, lists of names, or
    /// `{files, paths, skip}` mappings); `skip` gives an empty list instead of an error. `with_first_found`
    /// passes the subdir its task's action implies (`templates`, `vars` or `files`).
    package static func firstFound(_ args: CallArguments, subdir: String?) throws -> Value {
        var options = FirstFoundOptions()
        try options.apply(args.keywords)
        let terms = args.positional.isEmpty ? options.files.map(Value.string) : args.positional
        let candidates = try firstFoundCandidates(terms, options: &options)
        for name in candidates {
            if let path = searchFile(name, subdir: subdir, scope: args.scope) {
                return .list([.string(URL(fileURLWithPath: path).standardized.path)])
            }
        }
        if options.skip { return .list([]) }
        throw TemplateError("No file was found when using first_found.")
    }

    /// The names to try, in order; a mapping term sets the options for itself and later terms.
    private static func firstFoundCandidates(_ terms: [Value], options: inout FirstFoundOptions) throws -> [String] {
        var names: [String] = []
        for term in terms {
            let files: [String]
            switch term {
            case .dict(let d):
                try options.apply(d)
                files = options.files
            case .string(let s):
                files = [s]
            case .list(let inner):
                names += try firstFoundCandidates(inner, options: &options)
                continue
            default:
                throw TemplateError(
                    "Invalid term supplied. A string, dict or list is required, not '\(term.pythonTypeName)')."
                )
            }
            let fileList = files.flatMap { split($0, on: ",;") }
            let pathList = options.paths.flatMap { split($0, on: ",:;") }
            if pathList.isEmpty {
                names += fileList
            } else {
                names += pathList.flatMap { path in fileList.map { join(path, $0) } }
            }
        }
        return names
    }

    private static func split(_ s: String, on separators: String) -> [String] {
        s.split(omittingEmptySubsequences: false) { separators.contains($0) }.map(String.init)
    }

    /// Python's `os.path.join` for two parts.
    static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") || a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// `fileglob`: files (not folders) matching the pattern. A bare name is globbed in each search
    /// folder's `files/` and the folder itself, a pattern with a folder in that folder as `file` finds
    /// it; the first place with matches wins.
    static func fileglob(_ pattern: String, scope: (any VariableScope)?) -> [Value] {
        let name = (pattern as NSString).lastPathComponent
        var folders: [String] = []
        if name != pattern {
            let dir = (pattern as NSString).deletingLastPathComponent
            if let found = searchFile(dir.isEmpty ? "/" : dir, scope: scope) { folders = [found] }
        } else {
            folders = searchBases(scope).flatMap { [$0 + "/files", $0] }
        }
        for folder in folders {
            let matches = glob(join(folder, name))
            if !matches.isEmpty { return matches.map(Value.string) }
        }
        return []
    }

    /// The files (not folders) matching a glob pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let p = g.gl_pathv[i], let s = String(validatingCString: p) else { continue }
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: s, isDirectory: &isDir), !isDir.boolValue {
                paths.append(s)
            }
        }
        return paths.sorted()
    }

    /// `template`: each file (found in `templates/`) rendered with the current variables, the
    /// `template_*` variables and `template_vars`; its includes are found next to it and in the
    /// search folders' `templates/`.
    static func template(_ args: CallArguments) throws -> Value {
        var extra = args.keywords["template_vars"]?.dictValue ?? [:]
        let unknown = Set(args.keywords.keys).subtracting(["template_vars", "convert_data"])
        guard unknown.isEmpty else {
            throw TemplateError(
                "Unsupported option(s) for the template lookup: \(unknown.sorted().joined(separator: ", "))")
        }
        let templar = Templar(environment: args.environment)
        return .list(
            try args.positional.map { term in
                let name = term.pythonString
                guard let path = searchFile(name, subdir: "templates", scope: args.scope) else {
                    throw TemplateError("the template file \(name) could not be found for the lookup")
                }
                extra["template_path"] = .string(name)
                extra["template_fullpath"] = .string(URL(fileURLWithPath: path).standardized.path)
                let scope = OverlayScope(base: args.scope, top: extra)
                let includes = searchBases(args.scope).flatMap { [$0 + "/templates", $0] }
                return .string(try templar.renderFile(at: path, scope: scope, searchPath: includes))
            })
    }
}

/// The options of `first_found`, from keywords or a mapping term.
private struct FirstFoundOptions {
    var files: [String] = []
    var paths: [String] = []
    var skip = false

    mutating func apply(_ options: OrderedDictionary<String, Value>) throws {
        for (key, value) in options {
            switch key {
            case "files": files = Self.strings(value)
            case "paths": paths = Self.strings(value)
            case "skip": skip = value.isTruthy
            default: throw TemplateError("Unsupported option(s) for the first_found lookup: \(key)")
            }
        }
    }

    private static func strings(_ value: Value) -> [String] {
        value.listValue?.map(\.pythonString) ?? (value == .null ? [] : [value.pythonString])
    }
}

/// Variables of `top` over those of `base`.
struct OverlayScope: VariableScope {
    let base: (any VariableScope)?
    let top: OrderedDictionary<String, Value>

    func lookup(_ name: String) throws -> Value? {
        if let value = top[name] { return value }
        return try base?.lookup(name)
    }

    var variableNames: [String] { Array(top.keys) + (base?.variableNames ?? []).filter { top[$0] == nil } }
}
