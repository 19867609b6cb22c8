import CapstanBasics
import CapstanYAML
import Collections
import Foundation

/// The `group_vars/` and `host_vars/` folders beside one inventory source or playbook, read as
/// Ansible's `host_group_vars` plugin reads them: for a name, the first of `NAME`, `NAME.yml`,
/// `NAME.yaml`, `NAME.json` that exists; a folder `NAME/` contributes all its files (recursively,
/// in lexical order, skipping hidden files and `~` backups), later files overriding earlier ones.
public struct VarsDirectory: Sendable {
    /// The folder holding `group_vars/` and `host_vars/`.
    public let baseDirectory: String
    private var groupVars: [String: OrderedDictionary<String, Value>] = [:]
    private var hostVars: [String: OrderedDictionary<String, Value>] = [:]

    private static let extensions = [".yml", ".yaml", ".json"]

    /// Reads the vars files for the given groups and hosts (names without files are simply absent).
    public init(baseDirectory: String, groups: [String], hosts: [String], warnings: inout [Warning]) throws {
        self.baseDirectory = baseDirectory
        groupVars = try Self.load(subdirectory: "group_vars", base: baseDirectory, names: groups, warnings: &warnings)
        hostVars = try Self.load(subdirectory: "host_vars", base: baseDirectory, names: hosts, warnings: &warnings)
    }

    /// Variables from `group_vars/` for a group, empty when there are none.
    public func variables(forGroup name: String) -> OrderedDictionary<String, Value> { groupVars[name] ?? [:] }

    /// Variables from `host_vars/` for a host, empty when there are none.
    public func variables(forHost name: String) -> OrderedDictionary<String, Value> { hostVars[name] ?? [:] }

    private static func load(subdirectory: String, base: String, names: [String], warnings: inout [Warning]) throws
        -> [String: OrderedDictionary<String, Value>]
    {
        let fm = FileManager.default
        let folder = (base as NSString).appendingPathComponent(subdirectory)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir) else { return [:] }
        guard isDir.boolValue else {
            warnings.append(Warning("Found \(subdirectory) that is not a directory, skipping: \(folder)"))
            return [:]
        }
        // One listing of the folder instead of four existence checks per host keeps large inventories fast.
        let entries = Set((try? fm.contentsOfDirectory(atPath: folder)) ?? [])
        var result: [String: OrderedDictionary<String, Value>] = [:]
        for name in names where !name.hasPrefix("/") {
            var files: [String] = []
            for candidate in [name] + extensions.map({ name + $0 }) where entries.contains(candidate) {
                let path = (folder as NSString).appendingPathComponent(candidate)
                var candidateIsDir: ObjCBool = false
                _ = fm.fileExists(atPath: path, isDirectory: &candidateIsDir)
                files = candidateIsDir.boolValue ? filesInside(path) : [path]
                break
            }
            var merged = OrderedDictionary<String, Value>()
            for file in files {
                let value = try YAMLLoader.value(contentsOf: file, warnings: &warnings)
                switch value {
                case .null: continue
                case .dict(let d): for (k, v) in d { merged[k] = v }
                default:
                    throw InputError(
                        "vars file must hold a mapping of variable names to values, got \(value.pythonTypeName)",
                        at: SourceLocation(file: file, line: 1, column: 1))
                }
            }
            if !files.isEmpty { result[name] = merged }
        }
        return result
    }

    /// Files of a vars folder in Ansible's order: sorted names, recursing into extension-less folders.
    private static func filesInside(_ folder: String) -> [String] {
        let fm = FileManager.default
        var found: [String] = []
        for entry in ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            guard !entry.hasPrefix("."), !entry.hasSuffix("~") else { continue }
            let path = (folder as NSString).appendingPathComponent(entry)
            let ext = (entry as NSString).pathExtension
            var isDir: ObjCBool = false
            _ = fm.fileExists(atPath: path, isDirectory: &isDir)
            if isDir.boolValue {
                if ext.isEmpty { found += filesInside(path) }
            } else if ext.isEmpty || extensions.contains("." + ext) {
                found.append(path)
            }
        }
        return found
    }
}
