import CapstanBasics
import Foundation

/// Ansible's `file` and `password` lookups, on the controller's file system, with Ansible's
/// semantics: `file` finds a relative name in the role's and the play's `files/` folders and strips
/// trailing whitespace; `password` reads a password from its file, or generates one and creates the
/// file (mode 0600, missing folders 0700) on first use, so every later run gets the same value.
enum JinjaLookups {
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

    /// Ansible's search for `files`: the role's `files/` then the role's folder, then the play's
    /// `files/` and folder; absolute names as they are.
    static func searchFile(_ name: String, scope: (any VariableScope)?) -> String? {
        if name.hasPrefix("/") || name.hasPrefix("~") {
            let path = resolve(name, scope: scope)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        var bases: [String] = []
        for key in ["role_path", "playbook_dir"] {
            if let base = (try? scope?.lookup(key))??.stringValue { bases.append(base) }
        }
        if bases.isEmpty { bases = [FileManager.default.currentDirectoryPath] }
        let candidates = bases.flatMap { ["\($0)/files/\(name)", "\($0)/\(name)"] }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
