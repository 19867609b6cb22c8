import Foundation

/// Finds the `playbooks/` folder the cluster commands run: `--playbooks-dir DIR` when given, else
/// the nearest `playbooks/` walking up from the current directory, else the one next to (or above)
/// the `capstan` executable, or `share/capstan/playbooks` of its install prefix. A folder counts
/// only if it holds the playbook asked for, so an unrelated `playbooks/` of another project is
/// passed over.
struct ProjectLocator {
    /// The explicit folder (`--playbooks-dir`), if any.
    var explicit: String?
    /// Where the walk up starts (the current directory).
    var workingDirectory: String = FileManager.default.currentDirectoryPath
    /// The running executable, symlinks resolved.
    var executable: String = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path

    /// Why no folder was found: every place looked at.
    struct NotFound: Error, CustomStringConvertible {
        let playbook: String
        let searched: [String]
        var description: String {
            "no playbooks folder with \(playbook) found; looked in "
                + searched.joined(separator: ", ") + "; pass --playbooks-dir DIR"
        }
    }

    /// The absolute path of `playbook` (a file name such as `cluster.yml`).
    func playbook(_ playbook: String) throws -> String {
        var searched: [String] = []
        for folder in candidates() {
            searched.append(folder)
            let path = (folder as NSString).appendingPathComponent(playbook)
            if FileManager.default.fileExists(atPath: path) { return path }
            // An explicit folder is the only one looked at.
            if explicit != nil { break }
        }
        throw NotFound(playbook: playbook, searched: searched)
    }

    /// Folders to try, in order.
    func candidates() -> [String] {
        if let explicit {
            let absolute =
                explicit.hasPrefix("/") ? explicit : (workingDirectory as NSString).appendingPathComponent(explicit)
            return [(absolute as NSString).standardizingPath]
        }
        var folders = Self.walkUp(from: workingDirectory).map { $0 + "/playbooks" }
        let binDir = (executable as NSString).deletingLastPathComponent
        folders += Self.walkUp(from: binDir).map { $0 + "/playbooks" }
        folders.append(
            ((binDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
                "share/capstan/playbooks"))
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// `dir` and each of its parents up to `/` (as `""`-free absolute paths).
    static func walkUp(from dir: String) -> [String] {
        var out: [String] = []
        var current = (dir as NSString).standardizingPath
        while true {
            out.append(current == "/" ? "" : current)
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || current == "/" { break }
            current = parent
        }
        return out
    }
}
