import CapstanBasics
import Foundation

/// The sh pieces every file program is built from. Programs print `FileReport` records: `U umask`,
/// `S <stat line>`, `C <n>` + n bytes, `B <backup path>`, `V <validate rc>`, `E <message>`.
enum FileShell {
    /// Shell functions: `st PATH` / `stl PATH` print an `S` record (not following / following a
    /// symlink) or nothing for a missing path, `stat` writing its line itself (a simple command: dash
    /// `vfork`s it, where `$(stat)` would fork a copy of the shell first); `stv PATH` is `st` that also
    /// leaves the stat line, or nothing, in `$sx`; `take N` copies exactly N bytes of stdin to stdout
    /// (`dd` with `fullblock`, so that several files can follow each other on one stdin);
    /// `cnt PATH` prints a `C` record with the file's bytes, `cntlast PATH` the same as the program's last
    /// record; `dn PATH` sets `$dn` to `dirname PATH` without a process (`$(dirname)` costs two). They are
    /// `file-helpers.sh`, with `RemoteFileState.statFormat` written in; then a `U` record. Then the
    /// functions that change files: `attrs` (`file-attributes.sh`, `AttributeChanges.shell`),
    /// `mkparents` (`parent-directories.sh`, `ParentDirectories.create`) and `atomic_write`
    /// (`atomic-write.sh`, `atomicWrite`).
    static let prelude =
        cLocale + NodePrograms.fileHelpers + NodePrograms.fileAttributes + NodePrograms.parentDirectories
        + NodePrograms.atomicWrite

    /// Module programs run their tools in the C locale (what they print is parsed, and each process
    /// starts faster without loading a UTF-8 locale); what users wrote (command, shell, script) keeps theirs.
    static let cLocale = "LC_ALL=C; export LC_ALL\n"

    /// Prints an `I uid|gid|user|group` record: who a file created by this connection will belong to.
    static let identity = "printf 'I %s|%s|%s|%s\\n' \"$(id -u)\" \"$(id -g)\" \"$(id -un)\" \"$(id -gn)\"\n"

    /// `identity`, only when nothing is at `$p` (the record matters only for a file about to be created;
    /// `id` is four processes).
    static let identityIfAbsent = "[ -e \"$p\" ] || [ -L \"$p\" ] || " + identity

    /// Where `atomicWrite` takes the new content from.
    enum Content {
        /// The next `byteCount` bytes of the program's stdin.
        case stdin(byteCount: Int)
        /// The node's file at `path`.
        case nodeFile(path: String)
        /// A temporary file already sent beside `$p` (`StreamedUpload`), renamed rather than copied.
        case uploaded(path: String)
    }

    /// The call writing `content` to the path in `$p` the way Ansible's `atomic_move` does
    /// (`atomic_write` in `atomic-write.sh`): a temporary file beside it, `validate` run on that file
    /// (`%s` is its path), an optional backup copy of the old file (`name.PID.YYYY-MM-DD@HH:MM:SS~`),
    /// the old file's mode and owner kept (or `0666 & ~umask` for a new file), then a rename. Fails
    /// with an `E` record (the failing tool's own reason is on stderr: `withReason`).
    static func atomicWrite(_ content: Content, validate: String?, backup: Bool) -> String {
        let (source, argument): (String, String)
        switch content {
        case .stdin(let byteCount): (source, argument) = ("take", String(byteCount))
        case .nodeFile(let path): (source, argument) = ("cat", path)
        case .uploaded(let path): (source, argument) = ("uploaded", path)
        }
        let words = [source, argument, validate.map(validationCommand) ?? "", backup ? "1" : "0"]
        return "atomic_write " + words.map(ShellWords.quote).joined(separator: " ") + "\n"
    }

    /// An `E` message that says what could not be done (`could not write ...`) with the reason the
    /// failing tool gave on stderr (`No space left on device`), which the program does not repeat.
    static func withReason(_ message: String, stderr: String) -> String {
        guard message.hasPrefix("could not"),
            let reason = stderr.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) })
        else { return message }
        return message + ": " + reason.trimmingCharacters(in: .whitespaces)
    }

    /// The `validate` text as a command on `$tmp`: `%s` becomes the temporary file, `%%` a `%`
    /// (Python's `validate % tmpfile`); the rest is the user's own command line.
    static func validationCommand(_ validate: String) -> String {
        var out = ""
        var chars = Substring(validate)
        while let c = chars.popFirst() {
            if c == "%", let next = chars.first, next == "s" || next == "%" {
                chars.removeFirst()
                out += next == "s" ? "\"$tmp\"" : "%"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Ansible's `validate` failure message from a program's `V` record and the stderr that followed.
    static func validationFailure(_ report: FileReport) -> String? {
        guard let rc = report.first("V") else { return nil }
        let stderr = String(decoding: report.content ?? [], as: UTF8.self)
        return "failed to validate: rc:\(rc) error:\(stderr)"
    }
}
