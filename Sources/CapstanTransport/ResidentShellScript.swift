import CapstanBasics
import Foundation

/// The text a resident shell (`/bin/sh -s` on one long-lived channel) is fed, and the lines it answers with.
///
/// Each command runs in a child of the resident shell (a subshell for Capstan's own programs, a fresh
/// `/bin/sh -c` for what users wrote) with its stderr, and a user command's stdout, sent to files in the
/// shell's private directory (`mktemp -d`, mode 0700); the shell then prints one header line (nonce,
/// `$?`, the exit trap's status, whether each file has anything) and `cat`s each non-empty file
/// followed by an end marker holding the nonce. An own program's stdout is streamed before the header,
/// ended by the same marker (see `wrapper`). Sizes would need a `stat` process per command; the nonce
/// is fresh per command and never written where the command could read it, so output cannot end its
/// own section. An own program costs one fork on the node beyond its own processes; a file with
/// something in it adds a `cat`.
///
/// Known limit: an exit status above 128 counts as an exit only when the command's shell ran its exit
/// trap; a command that replaces that trap or `exec`s a program exiting with 129-255 is reported as
/// killed by signal (status - 128), as `$?` cannot tell the two apart.
enum ResidentShellScript {
    /// What the channel executes: the login shell steps aside for a POSIX shell reading stdin.
    static let channelCommand = "exec /bin/sh -s"

    /// The first line the shell prints: `capstan-ready <pid> <directory>`.
    static let readyPrefix = "capstan-ready "
    /// Every command's header starts with this, then the nonce.
    static let framePrefix = "capstan-frame "

    /// Sent once: makes the private directory (holding the shell's PID), removes it when the shell ends,
    /// removes the directories of this user's shells that are gone (a run killed at once, an sshd
    /// killed), fills the command table (`hash` of the tools module programs run most), announces PID and
    /// directory (`readyPrefix`). The shell's umask is left alone: commands must see the user's. The text
    /// is `resident-shell-preamble.sh` beside this file.
    static let preamble = NodePrograms.residentShellPreamble

    /// The environment variable that carries a user's command to its `/bin/sh -c`.
    static let programVariable = "CAPSTAN_PROGRAM"

    /// After how many user commands their numbered files are removed (they are emptied after each
    /// command; only a background process a command left behind could still write to them).
    static let sweepEvery = 64

    /// What ends each output section of the command with this nonce.
    static func endMarker(nonce: String) -> String { "capstan-eof-" + nonce + "\n" }

    /// How an own program reaches the shell (see `ResidentProgramCache`).
    enum ProgramForm: Equatable {
        /// Its text, `eval`ed in the subshell.
        case inline
        /// Its text defined as the resident shell's function of this name (parsed once), then called.
        case define(String)
        /// A call of the function of this name, defined by an earlier command.
        case call(String)
    }

    /// The script that runs `command` as number `sequence` in `directory` and frames its outcome.
    ///
    /// `subshell` (Capstan's own programs) runs it in a subshell of the resident shell, its stdout going
    /// straight to the channel as one section ended by the end marker, before the header: no file and
    /// no `cat` for it. Those programs leave no background process behind that could write into the
    /// channel or their files later, so their files have fixed names (`e`, `x`, `i`), truncated by the
    /// next one: nothing piles up. Anything else runs in a fresh `/bin/sh -c` with stdout in a file,
    /// sent after the header, so that what a user's command leaves running cannot garble the next
    /// frame; its files are numbered, and `sweep` removes the numbered files of earlier commands.
    ///
    /// An own program may come as a shell function (`program`); `forget` names functions to unset first.
    static func wrapper(
        command: String, environment: [String: String], stdin: [UInt8], subshell: Bool = false, sequence: Int,
        nonce: String, directory: String, program: ProgramForm = .inline, forget: [String] = [], sweep: Bool = false
    ) throws -> String {
        let base = directory + "/"
        let suffix = subshell ? "" : ".\(sequence)"
        let (input, output, error, mark) = (
            base + "i" + suffix, base + "o" + suffix, base + "e" + suffix, base + "x" + suffix
        )
        let q = ShellWords.singleQuoted
        // Where the command's stdout goes, as a redirection: the channel itself when streamed.
        let stdoutFile = subshell ? "" : " >\(q(output))"
        // An own program's status file is reused: emptied first, so that a program killed before its
        // exit trap ran cannot be read with the previous one's status.
        let truncate = "true\(stdoutFile) 2>\(q(error))" + (subshell ? " 3>\(q(mark))" : "")
        let endLine = endMarker(nonce: nonce).dropLast()
        let marker = "printf '\(endLine)\\n'"
        var lines: [String] = []
        if sweep { lines.append("rm -f \(q(base))[ioex].*") }
        if !forget.isEmpty { lines.append("unset -f " + forget.joined(separator: " ")) }
        var source = "<" + q("/dev/null")
        var hereDocument: [String] = []
        let delimiter = "capstan_stdin_" + nonce
        // `s=r` until the output files are created and the input decoded: a command that never started
        // is reported as such and may safely run elsewhere. `true`, not `:`, carries the redirections:
        // a failed redirection on a special builtin would end the shell.
        lines.append("s=r; x=-")
        if stdin.isEmpty {
            lines.append("\(truncate) && s=")
        } else if let text = hereDocumentText(stdin) {
            // Text goes in as a here-document, the command's stdin straight from the shell: no decoding
            // process, no file.
            lines.append("\(truncate) && s=")
            source = "<<'\(delimiter)'"
            hereDocument = [text, delimiter]
        } else {
            lines.append("\(truncate) && base64 -d >\(q(input)) <<'\(delimiter)' && s=")
            lines.append(Data(stdin).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
            lines.append(delimiter)
            source = "<" + q(input)
        }
        // The exit trap tells `exit 137` apart from death by SIGKILL: only a normal exit runs it.
        let trap = "trap " + q("printf %s \"$?\" >" + q(mark)) + " EXIT; "
        var definition = ""
        let run: String
        switch program {
        case .define(let name) where subshell:
            // `command eval`: a definition that does not parse fails without ending the resident shell;
            // its message goes where the program's stderr will follow, and the call then exits 127.
            definition = "command eval \(q(name + "() {\n" + command + "\n}")) 2>\(q(error)); "
            run = name
        case .call(let name) where subshell: run = name
        default: run = "eval " + q(command)
        }
        // The subshell forgets the resident shell's variables and arguments before the program starts. A
        // user's command is a simple command of the resident shell (its environment in assignments
        // before it), which dash `vfork`s: no copy of the shell is made first.
        // A user's command reaches its shell in a variable of that shell's environment, not in its
        // command line, which `ps` shows to every user of the node; the shell unsets it before the
        // command runs, so the command's own children never see it.
        let child =
            subshell
            ? "( \(trap)unset -v s x d; set --; \(try ShellCommand.exports(environment))\(run) )"
            : "\(try ShellCommand.assignments(environment))\(programVariable)=\(q(command)) /bin/sh -c "
                + q("p=$\(programVariable); unset -v \(programVariable); \(trap)eval \"unset -v p; $p\"")
        let redirect = definition.isEmpty ? "2>" : "2>>"
        lines.append("[ -z \"$s\" ] && { \(definition)\(child) \(source)\(stdoutFile) \(redirect)\(q(error)); s=$?; }")
        lines += hereDocument
        lines.append("[ \"$s\" != r ] && [ -s \(q(mark)) ] && read -r x <\(q(mark))")
        let header = "\(framePrefix)\(nonce) %s %s %s %s\\n' \"$s\" \"$x\" \"$1\" \"$2\""
        if subshell {
            // The streamed stdout's end marker and the header go out in one write (one packet).
            lines.append("set -- 0 0; [ -s \(q(error)) ] && set -- 0 1")
            lines.append("printf '\(endLine)\\n\(header)")
        } else {
            lines.append("set -- 0 0; [ -s \(q(output)) ] && set -- 1 0; [ -s \(q(error)) ] && set -- \"$1\" 1")
            lines.append("printf '\(header)")
            // A streamed stdout was sent already: only a file's stdout follows the header.
            lines.append("[ \"$1\" = 0 ] || { cat \(q(output)); \(marker); }")
        }
        lines.append("[ \"$2\" = 0 ] || { cat \(q(error)); \(marker); }")
        // A user command's files are emptied (what it left running may still hold them open).
        if !subshell { lines.append("true\(stdoutFile) 2>\(q(error)) 3>\(q(input))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The largest stdin sent as a here-document (the shell holds it in memory while parsing it; past
    /// 4 KiB dash forks a writer for it, still cheaper than `base64`).
    static let hereDocumentLimit = 65_536

    /// `stdin` as a here-document body (without its last line break), or nil when a here-document
    /// cannot carry it exactly: a NUL byte, no line break at its end (a here-document always ends
    /// with one), or too large.
    static func hereDocumentText(_ stdin: [UInt8]) -> String? {
        guard stdin.count <= hereDocumentLimit, stdin.last == UInt8(ascii: "\n"), !stdin.contains(0) else { return nil }
        // Bytes that are not UTF-8 would be altered by String: those go through base64.
        guard let text = String(validating: stdin.dropLast(), as: UTF8.self) else { return nil }
        return text
    }

    /// The parsed `capstan-ready` line.
    struct Ready: Equatable {
        let pid: Int
        let directory: String
    }

    /// Parses the ready line; the directory must be a plain absolute path (it is spliced into scripts).
    static func parseReady(_ line: String) -> Ready? {
        guard line.hasPrefix(readyPrefix) else { return nil }
        let fields = line.dropFirst(readyPrefix.count).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, let pid = Int(fields[0]), pid > 1 else { return nil }
        let directory = String(fields[1])
        let safe = directory.unicodeScalars.allSatisfy {
            ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) || "/._-".unicodeScalars.contains($0)
        }
        guard directory.hasPrefix("/"), safe, !directory.contains("..") else { return nil }
        return Ready(pid: pid, directory: directory)
    }

    /// One command's parsed header.
    struct Header: Equatable {
        /// False when the shell could not start the command (input or output files failed).
        var started = true
        /// `nil` when a signal killed the command.
        var exitStatus: Int32?
        var signal: String?
        /// Whether a section of stdout, then one of stderr, follows (each ends with the end marker).
        var hasStdout = false
        var hasStderr = false
    }

    /// Parses `capstan-frame <nonce> <$? or r> <trap status or -> <stdout flag> <stderr flag>`; `nil` on
    /// any mismatch (wrong nonce included), which ends the shell.
    static func parseHeader(_ line: String, nonce: String) -> Header? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        let flags: [Substring: Bool] = ["0": false, "1": true]
        guard fields.count == 6, fields[0] + " " == framePrefix, fields[1] == nonce, let hasStdout = flags[fields[4]],
            let hasStderr = flags[fields[5]]
        else { return nil }
        if fields[2] == "r", !hasStdout, !hasStderr { return Header(started: false) }
        guard let status = Int32(fields[2]) else { return nil }
        // `$?` above 128 is a signal unless the exit trap ran (the command called `exit` itself).
        if fields[3] == "-", status > 128 {
            return Header(signal: SignalNames.name(of: status - 128), hasStdout: hasStdout, hasStderr: hasStderr)
        }
        return Header(exitStatus: status, hasStdout: hasStdout, hasStderr: hasStderr)
    }
}
