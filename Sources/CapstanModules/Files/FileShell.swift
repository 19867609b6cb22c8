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
    /// `file-helpers.sh`, with `RemoteFileState.statFormat` written in; then a `U` record.
    static let prelude = cLocale + NodePrograms.fileHelpers

    /// Module programs run their tools in the C locale (what they print is parsed, and each process
    /// starts faster without loading a UTF-8 locale); what users wrote (command, shell, script) keeps theirs.
    static let cLocale = "LC_ALL=C; export LC_ALL\n"

    /// Prints an `I uid|gid|user|group` record: who a file created by this connection will belong to.
    static let identity = "printf 'I %s|%s|%s|%s\\n' \"$(id -u)\" \"$(id -g)\" \"$(id -un)\" \"$(id -gn)\"\n"

    /// `identity`, only when nothing is at `$p` (the record matters only for a file about to be created;
    /// `id` is four processes).
    static let identityIfAbsent = "[ -e \"$p\" ] || [ -L \"$p\" ] || " + identity

    /// Writes what `fill` prints (default: `byteCount` bytes of stdin) to the path in `$p` the way Ansible's
    /// `atomic_move` does: a temporary file beside it, `validate` run on that file (`%s` is its path),
    /// an optional backup copy of the old file (`name.PID.YYYY-MM-DD@HH:MM:SS~`), the old file's mode
    /// and owner kept (or `0666 & ~umask` for a new file), then a rename. Fails with an `E` record
    /// (the failing tool's own reason is on stderr: `withReason`). `uploaded` names a temporary file
    /// already sent beside `$p` (`StreamedUpload`), used instead of writing one.
    static func atomicWrite(
        byteCount: Int = 0, fill: String? = nil, uploaded: String? = nil, validate: String?, backup: Bool
    ) -> String {
        var s: String
        if let uploaded {
            s = "tmp=\(ShellWords.quote(uploaded))\n"
        } else {
            s = """
                dn "$p"; d=$dn
                tmp=$(mktemp "$d/.capstan-tmp.XXXXXX") || { echo "E could not create a temporary file in $d"; exit 0; }
                \(fill ?? "take \(byteCount)") > "$tmp" || { rm -f -- "$tmp"; echo "E could not write $tmp"; exit 0; }

                """
        }
        if let validate {
            s += """
                ( \(validationCommand(validate)) ) >/dev/null 2>"$tmp.err"; rc=$?
                if [ $rc -ne 0 ]; then printf 'V %s\\n' $rc; cnt "$tmp.err"; rm -f -- "$tmp" "$tmp.err"; exit 0; fi
                rm -f -- "$tmp.err"

                """
        }
        if backup {
            s += """
                if [ -e "$p" ]; then b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S~)"; cp -p -- "$p" "$b" && printf 'B %s\\n' "$b"; fi

                """
        }
        s += """
            if [ -e "$p" ]; then chmod --reference="$p" -- "$tmp"; chown --reference="$p" -- "$tmp" 2>/dev/null
            else chmod "$(printf %o $((0666 & ~0$(umask))))" -- "$tmp"; fi
            mv -f -- "$tmp" "$p" || { rm -f -- "$tmp"; echo "E could not replace $p"; exit 0; }

            """
        return s
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
