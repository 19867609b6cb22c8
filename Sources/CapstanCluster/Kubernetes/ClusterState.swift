import CapstanBasics
import Foundation

/// Where a cluster's operator-side state lives (admin.conf, the generated secrets of the ML layer,
/// join material): beside the inventory, as Kubespray keeps `inventory/NAME/artifacts`, never in the
/// current directory. The folder for a cluster is, first that applies:
/// - `capstan_artifacts_dir` when `-e` or the inventory sets it (used as it is);
/// - `capstan_state_dir/CLUSTER` when `-e` or the inventory (group_vars) sets `capstan_state_dir`;
/// - `INVENTORY_DIR/artifacts/CLUSTER`, the folder of the first inventory source (or the source
///   itself when it is a folder);
/// - `$XDG_STATE_HOME/capstan/clusters/CLUSTER` (else `~/.local/state/...`) for a host list.
///
/// CLUSTER is `cluster_name` (default `capstan`).
public struct ClusterState: Sendable, Equatable {
    /// The folder of this cluster's state (absolute).
    public var directory: String
    /// The cluster's name, as read (`cluster_name`, default `capstan`).
    public var clusterName: String
    /// Whether `directory` was named by `capstan_artifacts_dir` itself (so nothing is passed on).
    public var named: Bool

    /// The state folder for an inventory. `variables` are the inventory's variables of a cluster host
    /// (or of `all`), `extraVars` the `-e` variables, which win.
    public static func locate(
        sources: [String], variables: [String: Value], extraVars: [String: Value], workingDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ClusterState {
        func read(_ key: String) -> String? {
            let value = extraVars[key] ?? variables[key]
            guard let text = value?.stringValue, !text.isEmpty else { return nil }
            return text
        }
        let name = read("cluster_name") ?? "capstan"
        if let explicit = read("capstan_artifacts_dir") {
            return ClusterState(directory: absolute(explicit, in: workingDirectory), clusterName: name, named: true)
        }
        let base: String
        if let state = read("capstan_state_dir") {
            base = absolute(state, in: workingDirectory)
        } else if let folder = inventoryFolder(sources, workingDirectory: workingDirectory) {
            base = folder + "/artifacts"
        } else {
            let root =
                environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
            base = root + "/capstan/clusters"
        }
        return ClusterState(directory: base + "/" + name, clusterName: name, named: false)
    }

    /// The folder of the first inventory source that is a file or folder on disk.
    static func inventoryFolder(_ sources: [String], workingDirectory: String) -> String? {
        for source in sources {
            let path = absolute(source, in: workingDirectory)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            return isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        }
        return nil
    }

    static func absolute(_ path: String, in dir: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let full = expanded.hasPrefix("/") ? expanded : (dir as NSString).appendingPathComponent(expanded)
        return (full as NSString).standardizingPath
    }

    /// State that earlier versions of Capstan left in `WORKDIR/artifacts/CLUSTER` (they kept it under
    /// the current directory): that folder when it exists, holds something, and is not this state's
    /// own folder.
    public func leftBehind(in workingDirectory: String) -> String? {
        let old = (workingDirectory as NSString).appendingPathComponent("artifacts/" + clusterName)
        let oldPath = (old as NSString).standardizingPath
        guard oldPath != directory,
            let entries = try? FileManager.default.contentsOfDirectory(atPath: oldPath), !entries.isEmpty
        else { return nil }
        return oldPath
    }

    /// Whether the state folder exists and holds something.
    public var exists: Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).isEmpty
    }
}
