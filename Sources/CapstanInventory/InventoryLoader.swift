import CapstanBasics
import CapstanYAML
import Foundation

/// Reads inventory sources (files, folders, `host1,host2` lists) into an `InventoryGraph` the way
/// `ansible-inventory -i A -i B` does, and finds the `group_vars/`/`host_vars/` folders beside them.
struct InventoryLoader {
    /// Folder entries Ansible never reads as inventories (`IGNORED_ALWAYS` and the default
    /// `INVENTORY_IGNORE_EXTS`).
    static let ignoredNames: Set<String> = ["host_vars", "group_vars", "vars_plugins"]
    static let ignoredSuffixes = [
        ".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst", ".orig", ".cfg", ".retry",
    ]
    /// Extensions the YAML plugin accepts (besides none at all).
    static let yamlExtensions: Set<String> = ["yaml", "yml", "json"]

    var graph = InventoryGraph()
    /// Folders whose group_vars/host_vars belong to the inventory, in source order.
    var varsDirectories: [String] = []

    mutating func load(sources: [String], warnings: inout [Warning]) throws {
        for source in sources where !source.isEmpty {
            let fm = FileManager.default
            var isDir: ObjCBool = false
            let exists = fm.fileExists(atPath: source, isDirectory: &isDir)
            if source.contains(","), !exists {
                loadHostList(source, warnings: &warnings)
                continue
            }
            guard exists else {
                throw InputError(
                    "inventory source does not exist; expected a file, a folder or a comma-separated host list",
                    at: SourceLocation(file: source, line: 1, column: 1))
            }
            if isDir.boolValue {
                try loadDirectory(source, warnings: &warnings)
                varsDirectories.append(source)
            } else {
                try loadFile(source, warnings: &warnings)
                let dir = (source as NSString).deletingLastPathComponent
                varsDirectories.append(dir.isEmpty ? "." : dir)
            }
        }
        graph.reconcile(warnings: &warnings)
    }

    /// Ansible's `host_list` plugin: `a,b:2222,c` puts each host in `ungrouped`.
    private mutating func loadHostList(_ source: String, warnings: inout [Warning]) {
        graph.currentSource = source
        for item in source.split(separator: ",") {
            let text = item.trimmingWhitespace()
            guard !text.isEmpty else { continue }
            let (host, port) = HostRange.splitPort(text)
            let name = host.contains("[") ? text : host
            graph.addHost(name, group: "ungrouped", port: host.contains("[") ? nil : port, warnings: &warnings)
        }
        graph.currentSource = nil
    }

    private mutating func loadDirectory(_ folder: String, warnings: inout [Warning]) throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        for entry in entries {
            if entry.hasPrefix(".") || Self.ignoredNames.contains(entry) { continue }
            if Self.ignoredSuffixes.contains(where: { entry.hasSuffix($0) }) { continue }
            let path = (folder as NSString).appendingPathComponent(entry)
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            if isDir.boolValue {
                try loadDirectory(path, warnings: &warnings)
            } else {
                try loadFile(path, warnings: &warnings)
            }
        }
    }

    /// Tries the YAML plugin first (for no extension or .yml/.yaml/.json), then INI, as Ansible's
    /// plugin order does; a file that neither reads reports the error of the format it looks like.
    private mutating func loadFile(_ path: String, warnings: inout [Warning]) throws {
        let text = try YAMLLoader.readText(path)
        let ext = (path as NSString).pathExtension.lowercased()
        if ext == "toml" {
            throw InputError(
                "TOML inventories are not supported; expected INI or YAML",
                at: SourceLocation(file: path, line: 1, column: 1))
        }
        graph.currentSource = path
        defer { graph.currentSource = nil }
        var yamlFailure: InputError?
        if ext.isEmpty || Self.yamlExtensions.contains(ext) {
            var attempt = graph
            var attemptWarnings: [Warning] = []
            do {
                try YAMLInventoryParser(file: path).parse(text, into: &attempt, warnings: &attemptWarnings)
                graph = attempt
                warnings += attemptWarnings
                return
            } catch let failure as YAMLInventoryParser.NotYAMLInventory {
                yamlFailure = failure.error
            }
        }
        var attempt = graph
        var attemptWarnings: [Warning] = []
        do {
            try INIInventoryParser(file: path).parse(text, into: &attempt, warnings: &attemptWarnings)
        } catch let iniError as InputError {
            if let yamlFailure, !ext.isEmpty { throw yamlFailure }
            throw iniError
        }
        graph = attempt
        warnings += attemptWarnings
    }
}
