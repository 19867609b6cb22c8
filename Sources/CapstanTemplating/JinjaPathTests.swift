import CapstanBasics
import Foundation

/// Ansible's path tests (`exists`, `directory`, `file`, `link`, `link_exists`, `abs`, `same_file`,
/// `mount`, each also as `is_…`): Python's `os.path` functions on the controller, relative paths
/// from its current directory, as ansible-core's `files` test plugin calls them.
enum JinjaPathTests {
    static func register(in env: TemplateEnvironment) {
        let tests: [(names: [String], test: (String) -> Bool)] = [
            (["exists"], { status($0) != nil }),
            (["link_exists"], { linkStatus($0) != nil }),
            (["directory", "is_dir"], { status($0).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false }),
            (["file", "is_file"], { status($0).map { $0.st_mode & S_IFMT == S_IFREG } ?? false }),
            (["link", "is_link"], { linkStatus($0).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false }),
            (["abs", "is_abs"], { $0.hasPrefix("/") }),
            (["mount", "is_mount"], isMount),
        ]
        for (names, test) in tests {
            for name in names {
                env.registerTest(name) { args in
                    // Python stats a number as a file descriptor of the controller's process, which
                    // means nothing here: one is no path, so none of these holds for it.
                    if name != "abs", name != "is_abs", args.input.stringValue == nil, args.input != .null {
                        return false
                    }
                    return test(try path(args.input, name))
                }
            }
        }
        for name in ["same_file", "is_same_file"] {
            env.registerTest(name) { args in
                let (a, b) = (try path(args.input, name), try path(args.argument(0, "f2") ?? .null, name))
                guard let first = status(a), let second = status(b) else {
                    throw TemplateError("[Errno 2] No such file or directory: '\(status(a) == nil ? a : b)'")
                }
                return first.st_dev == second.st_dev && first.st_ino == second.st_ino
            }
        }
    }

    private static func path(_ value: Value, _ test: String) throws -> String {
        guard let text = value.stringValue else {
            throw TemplateError("The '\(test)' test expects a path (a string), got \(value.pythonRepr)")
        }
        return text
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    private static func linkStatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// Python's `os.path.ismount`: not a symlink, and on another device than its parent or the same
    /// inode as it (the root).
    private static func isMount(_ path: String) -> Bool {
        guard let own = linkStatus(path), own.st_mode & S_IFMT != S_IFLNK, let parent = linkStatus(path + "/..") else {
            return false
        }
        return own.st_dev != parent.st_dev || own.st_ino == parent.st_ino
    }
}
