import Foundation

/// The text a resident shell (`/bin/sh -s` on one long-lived channel) is fed, and the lines it answers with.
///
/// Each command runs as `/bin/sh -c` in a child of the resident shell with its stdout and stderr sent to
/// two files in the shell's private directory (`mktemp -d`, mode 0700); the shell then prints one header
/// line (nonce, `$?`, the exit trap's status, both sizes) and `cat`s both files. The client reads exactly
/// those byte counts, so the framing is binary-safe without escaping anything. A command that printed
/// nothing costs one fork and exec on the node: every other step is a shell builtin; output adds a
/// `stat` and a `cat`.
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

    /// Sent once: makes the private directory, removes it when the shell ends, announces PID and directory.
    /// The shell's umask is left alone: commands must see the user's.
    static let preamble = """
        d=$(mktemp -d "${TMPDIR:-/tmp}/capstan-rs.XXXXXXXX") || exit 97
        trap 'rm -rf "$d"' EXIT
        trap 'exit 129' HUP
        trap 'exit 143' TERM
        printf '\(readyPrefix)%s %s\\n' "$$" "$d"

        """

    /// How often the files of finished commands are removed (they are truncated after each command; only
    /// a background process a command left behind could still write to them).
    static let sweepEvery = 64

    /// The script that runs `command` as number `sequence` in `directory` and frames its outcome.
    static func wrapper(
        command: String, environment: [String: String], stdin: [UInt8], sequence: Int, nonce: String,
        directory: String
    ) throws -> String {
        let base = directory + "/"
        let (input, output, error, mark) = (
            base + "i.\(sequence)", base + "o.\(sequence)", base + "e.\(sequence)", base + "x.\(sequence)"
        )
        let q = ShellCommand.quote
        var lines: [String] = []
        if sequence > 0, sequence % sweepEvery == 0 { lines.append("rm -f \(q(base))[ioex].*") }
        var source = "/dev/null"
        // `s=r` until both output files are created and the input decoded: a command that never started
        // is reported as such and may safely run elsewhere. `true`, not `:`, carries the redirections:
        // a failed redirection on a special builtin would end the shell.
        lines.append("s=r; x=-; set -- 0 0")
        if stdin.isEmpty {
            lines.append("true >\(q(output)) 2>\(q(error)) && s=")
        } else {
            let delimiter = "capstan_stdin_" + nonce
            lines.append("true >\(q(output)) 2>\(q(error)) && base64 -d >\(q(input)) <<'\(delimiter)' && s=")
            lines.append(Data(stdin).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
            lines.append(delimiter)
            source = input
        }
        // The exit trap tells `exit 137` apart from death by SIGKILL: only a normal exit runs it.
        let trap = "trap " + q("printf %s \"$?\" >" + q(mark)) + " EXIT; "
        let exports = try ShellCommand.exports(environment)
        lines.append(
            "[ -z \"$s\" ] && { ( \(exports)exec /bin/sh -c \(q(trap + command)) ) <\(q(source)) >\(q(output))"
                + " 2>\(q(error)); s=$?; }")
        lines.append("[ \"$s\" != r ] && [ -s \(q(mark)) ] && read -r x <\(q(mark))")
        lines.append(
            "if [ \"$s\" != r ] && { [ -s \(q(output)) ] || [ -s \(q(error)) ]; }; then"
                + " set -- $(stat -c %s \(q(output)) \(q(error))) 0 0; fi")
        lines.append("printf '\(framePrefix)\(nonce) %s %s %s %s\\n' \"$s\" \"$x\" \"$1\" \"$2\"")
        lines.append("[ \"$1$2\" = 00 ] || cat \(q(output)) \(q(error))")
        lines.append("true >\(q(output)) 2>\(q(error)) 3>\(q(input))")
        return lines.joined(separator: "\n") + "\n"
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
        var stdoutSize = 0
        var stderrSize = 0
    }

    /// Parses `capstan-frame <nonce> <$? or r> <trap status or -> <stdout size> <stderr size>`; `nil` on
    /// any mismatch (wrong nonce included), which ends the shell.
    static func parseHeader(_ line: String, nonce: String) -> Header? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] + " " == framePrefix, fields[1] == nonce, let stdoutSize = Int(fields[4]),
            let stderrSize = Int(fields[5]), stdoutSize >= 0, stderrSize >= 0
        else { return nil }
        if fields[2] == "r", stdoutSize == 0, stderrSize == 0 { return Header(started: false) }
        guard let status = Int32(fields[2]) else { return nil }
        // `$?` above 128 is a signal unless the exit trap ran (the command called `exit` itself).
        if fields[3] == "-", status > 128 {
            return Header(signal: SignalNames.name(of: status - 128), stdoutSize: stdoutSize, stderrSize: stderrSize)
        }
        return Header(exitStatus: status, stdoutSize: stdoutSize, stderrSize: stderrSize)
    }
}
