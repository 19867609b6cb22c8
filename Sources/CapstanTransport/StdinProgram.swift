/// A command whose program travels on standard input, ahead of the command's own input, so that the
/// command line (which `ps` shows to every user and sudo writes to the journal) holds only fixed text.
///
/// The shell started by `commandLine` reads lines up to a delimiter holding a fresh nonce (`read` takes
/// a byte at a time from a pipe, so not one byte of the command's own input is consumed), then `eval`s
/// them: the environment as `export` lines, then the command. What follows the delimiter is the
/// command's standard input.
struct StdinProgram {
    /// What the transport executes.
    let commandLine: String
    /// What must be written to standard input before the command's own input.
    let preamble: [UInt8]

    /// `wrap` turns the reader (a shell snippet that runs the program) into the full command line.
    init(_ command: String, environment: [String: String], wrap: (String) -> String) throws {
        let end = "capstan-program-end-" + String(UInt64.random(in: 1 << 60 ... .max), radix: 16)
        // The reader's own variables are gone before the program runs.
        let reader =
            "c=; n='\n'; while IFS= read -r l; do [ \"$l\" = \(end) ] && break; c=$c$l$n; done;"
            + " eval \"unset -v c l n; $c\""
        commandLine = wrap(reader)
        preamble = Array((try ShellCommand.exports(environment) + "\n" + command + "\n" + end + "\n").utf8)
    }
}
