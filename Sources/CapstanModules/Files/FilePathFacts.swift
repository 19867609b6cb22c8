import CapstanBasics

/// What the `file` module learns about its path in its first command: the path itself (lstat), a
/// symlink's text, real path and target, whether a directory has entries, the link source, and the
/// children of a directory to recurse into.
struct FilePathFacts: Sendable {
    var state: RemoteFileState?
    var linkText: String?
    var realPath: String?
    var target: RemoteFileState?
    var nonEmptyDirectory = false
    /// `src` (joined to the link's folder for a relative symlink) exists, and its stat.
    var sourceExists = false
    var source: RemoteFileState?
    /// Every path below a directory with its lstat, for `recurse`.
    var children: [(path: String, state: RemoteFileState)] = []
    var umask: UInt32 = 0o022

    /// Ansible's `get_state` of the path: absent, link, directory, hard or file.
    var prevState: String { state?.ansibleState ?? "absent" }

    /// The probe program for `path`; `source` is the link source as given, `recurse` lists children
    /// (their targets' stat when `follow`), `linkTarget` adds a symlink's real path and target's stat.
    static func program(
        path: String, source: String?, hard: Bool, recurse: Bool, follow: Bool, linkTarget: Bool = true
    ) -> String {
        var s = FileShell.prelude + "p=\(ShellWords.quote(path))\n"
        s += linkProbe
        if linkTarget {
            s += "if [ -L \"$p\" ]; then printf 'R %s\\n' \"$(readlink -f -- \"$p\")\"\n"
            s +=
                "  if [ -e \"$p\" ]; then printf 'T %s\\n' \"$(stat -L -c '\(RemoteFileState.statFormat)' -- \"$p\")\"; fi\nfi\n"
        }
        // `ls -A` without a process: any name the three globs match (an unmatched glob stays literal and
        // does not exist, unless a file of that very name does, which makes the directory non-empty too).
        s += "if [ -d \"$p\" ]; then for f in \"$p\"/* \"$p\"/.[!.]* \"$p\"/..?*; do"
        s += " if [ -e \"$f\" ] || [ -L \"$f\" ]; then echo 'N 1'; break; fi; done; fi\n"
        if let source {
            let q = ShellWords.quote(source)
            // The source's stat: a hard link's, or the target a symlink's attributes go to.
            if hard || source.hasPrefix("/") {
                s +=
                    "if [ -e \(q) ]; then echo 'Q 1'; printf 'W %s\\n' \"$(stat -L -c '\(RemoteFileState.statFormat)' -- \(q))\"; fi\n"
            } else {
                // Ansible joins a relative src to the link's folder (or the path itself when it is a real directory).
                s += "if [ ! -L \"$p\" ] && [ -d \"$p\" ]; then rel=\"$p\"; else dn \"$p\"; rel=$dn; fi\n"
                s +=
                    "if [ -e \"$rel\"/\(q) ]; then echo 'Q 1'; printf 'W %s\\n' \"$(stat -L -c '\(RemoteFileState.statFormat)' -- \"$rel\"/\(q))\"; fi\n"
            }
        }
        if recurse {
            // With `follow`, a symlink below counts as its target (Ansible sets the target's attributes).
            s +=
                "if [ -d \"$p\" ]; then find \"$p\" -mindepth 1 -exec stat \(follow ? "-L " : "")-c 'F \(RemoteFileState.statFormat)|%n' {} + 2>/dev/null; fi\n"
        }
        return s
    }

    /// Prints the `S` record of `$p` and, for a symlink, an `L` record with its text, from one `stat`:
    /// its `%N` is `PATH -> TEXT` with `QUOTING_STYLE=literal` (`readlink` answers if it is not).
    static let linkProbe = NodePrograms.linkProbe

    init(report: FileReport) {
        state = report.state
        linkText = report.first("L")
        realPath = report.first("R")
        target = report.first("T").flatMap(RemoteFileState.init(statLine:))
        nonEmptyDirectory = report.first("N") != nil
        sourceExists = report.first("Q") != nil
        source = report.first("W").flatMap(RemoteFileState.init(statLine:))
        umask = report.umask
        for line in report.all("F") {
            let parts = line.split(separator: "|", maxSplits: 12, omittingEmptySubsequences: false)
            guard parts.count == 13, let st = RemoteFileState(statLine: parts[0..<12].joined(separator: "|")) else {
                continue
            }
            children.append((String(parts[12]), st))
        }
    }
}
