import CapstanBasics
import CapstanYAML
import Foundation

/// Where a task list is being read from: the file, the role it belongs to, and the import chains
/// that catch files importing themselves.
package struct FileContext {
    /// The file whose items are being parsed.
    var file: String
    /// The role owning the file, if any.
    var role: RoleScope?
    /// Whether the items are handlers (which may have `listen`).
    var isHandler = false
    /// Files being imported, outermost first.
    var importChain: [String] = []

    package init(file: String, role: RoleScope? = nil) {
        self.file = file
        self.role = role
    }
}

/// The loader's working state for one `load(path:)`: the YAML reader, the module names, the role
/// search path and the playbook directory. Split over several files by what it parses.
package final class PlaybookParser {
    let reader = NodeReader()
    let modules: ModuleNames
    let roleSearchPaths: [String]
    /// The directory of the playbook file being read (Ansible's basedir for roles and files).
    var baseDirectory: String
    /// Role folders being loaded, outermost first, to catch dependency loops.
    var roleStack: [String] = []
    /// The `library/` folders of every role loaded so far, where Ansible also finds modules.
    var roleLibraryFolders: [String] = []
    /// Imported playbooks, task files and roles being read, one inside the other.
    var importDepth = 0
    /// Where installed collections are, for modules Capstan lacks (found once per load).
    lazy var collectionFolders = ModuleNames.collectionFolders(playbookFolder: baseDirectory)

    package init(modules: ModuleNames, roleSearchPaths: [String], baseDirectory: String) {
        self.modules = modules
        self.roleSearchPaths = roleSearchPaths
        self.baseDirectory = baseDirectory
    }

    /// Runs `body` one import deeper, refusing to nest past `IncludeLimits.maximumDepth`.
    func nested<T>(at location: SourceLocation, _ body: () throws -> T) throws -> T {
        try IncludeLimits.check(importDepth, at: location, what: IncludeLimits.imports)
        importDepth += 1
        defer { importDepth -= 1 }
        return try body()
    }

    /// The single YAML document of a file, nil when the file is empty.
    package func document(_ path: String, from location: SourceLocation?) throws -> YAMLNode? {
        guard Paths.isFile(path) else {
            throw InputError(
                "Unable to retrieve file contents. Could not find or access '\(path)'.",
                at: location ?? SourceLocation(file: path, line: 1, column: 1))
        }
        let text = try YAMLLoader.readText(path)
        let docs: [YAMLNode]
        do {
            docs = try YAMLLoader.documents(text: text, file: path)
        } catch let error as InputError {
            throw InputError("YAML parsing failed: \(error.message)", at: error.location)
        }
        if docs.count > 1 {
            throw InputError(
                "expected a single document in the stream, but found another document", at: docs[1].location)
        }
        return docs.first
    }
}

/// Lexical path helpers: relative paths stay relative so that locations read as the user wrote them.
package enum Paths {
    /// The directory part of `path` (`.` for a bare name).
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `name` under `directory`, unless `name` is absolute; `.` and `x/..` segments are removed.
    package static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return normalize(name) }
        if directory.isEmpty || directory == "." { return normalize(name) }
        return normalize(directory + "/" + name)
    }

    /// Removes `.` segments and `x/..` pairs without touching the file system.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether a regular file (or a symlink to one) exists at `path`.
    package static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Whether a directory exists at `path`.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
