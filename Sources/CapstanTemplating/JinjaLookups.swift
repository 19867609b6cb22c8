import CapstanBasics
import Foundation

/// Ansible's `file` and `password` lookups, on the controller's file system, with Ansible's
/// semantics: `file` finds a relative name in the role's and the play's `files/` folders and strips
/// trailing whitespace; `password` reads a password from its file, or generates one and creates the
/// file (mode 0600, missing folders 0700) on first use, so every later run gets the same value.
package enum JinjaLookups {
    /// Ansible's default `chars` for `password`: letters, digits and `.,:-_`.
    static let defaultPasswordChars = ["ascii_letters", "digits", ".,:-_"]

    /// `lookup('file', 'name', lstrip=false, rstrip=true)`.
    static func file(_ args: CallArguments) throws -> Value {
        let rstrip = args.keywords["rstrip"]?.isTruthy ?? true
        let lstrip = args.keywords["lstrip"]?.isTruthy ?? false
        return .list(
            try args.positional.map { term in
                let name = term.pythonString
                guard let path = searchFile(name, scope: args.scope),
                    var text = try? String(contentsOfFile: path, encoding: .utf8)
                else {
                    throw TemplateError("Unable to access the file \(Value.string(name).pythonRepr)")
                }
                if lstrip { text = String(text.drop { $0.isWhitespace }) }
                if rstrip { text = text.trimmingTrailingWhitespace() }
                return .string(text)
            })
    }

    /// `lookup('password', 'path chars=ascii_letters,digits length=32')`; `/dev/null` gives a new
    /// password every time and writes nothing. `encrypt` is not supported.
    static func password(_ args: CallArguments) throws -> Value {
        .list(
            try args.positional.map { term in
                let request = try PasswordRequest(term.pythonString, keywords: args.keywords)
                let path = resolve(request.path, scope: args.scope)
                return .string(try PasswordFile(path: path).password { request.generate() })
            })
    }

    /// Ansible's `path_dwim`: absolute and `~` paths as they are, others under `playbook_dir` (the
    /// current directory when the render has none).
    static func resolve(_ path: String, scope: (any VariableScope)?) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return NSString(string: path).expandingTildeInPath }
        let base =
            (try? scope?.lookup("playbook_dir"))??.stringValue ?? FileManager.default.currentDirectoryPath
        return base + "/" + path
    }

    /// Ansible's `find_file_in_search_path`: an absolute or `~` name as it is; a relative one under
    /// each folder of `ansible_search_path` (or the role's folder, or `playbook_dir`), first in its
    /// `subdir` (`files`, `templates`, `vars`; none for `lookup('first_found')`) then in the folder
    /// itself, and last under `playbook_dir`.
    static func searchFile(_ name: String, subdir: String? = "files", scope: (any VariableScope)?) -> String? {
        if name.hasPrefix("/") || name.hasPrefix("~") {
            let path = resolve(name, scope: scope)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        return searchCandidates(name, subdir: subdir, scope: scope).first {
            FileManager.default.fileExists(atPath: $0)
        }
    }

    /// The paths `searchFile` tries for a relative `name`, in order.
    static func searchCandidates(_ name: String, subdir: String?, scope: (any VariableScope)?) -> [String] {
        searchBases(scope).flatMap { base in (subdir.map { ["\(base)/\($0)/\(name)"] } ?? []) + ["\(base)/\(name)"] }
    }

    /// The folders a relative name is looked for in: `ansible_search_path` (or the role's folder,
    /// or `playbook_dir`), then `playbook_dir` as the last resort.
    static func searchBases(_ scope: (any VariableScope)?) -> [String] {
        func variable(_ key: String) -> Value? { (try? scope?.lookup(key)) ?? nil }
        let basedir = variable("playbook_dir")?.stringValue ?? FileManager.default.currentDirectoryPath
        if let listed = variable("ansible_search_path")?.listValue {
            return listed.compactMap(\.stringValue) + [basedir]
        }
        return [variable("role_path")?.stringValue ?? basedir, basedir]
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
