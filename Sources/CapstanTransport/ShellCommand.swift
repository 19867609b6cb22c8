import CapstanBasics

/// Builds the exact command line sent to a host: `exec /bin/sh -c '<reader>'` (or the same under sudo),
/// whose shell reads the program from standard input (`StdinProgram`), so the command runs in plain sh,
/// untouched by the aliases and functions of the user's login shell. (bash still sources ~/.bashrc for every sshd session, whatever the command: Debian
/// builds it with SSH_SOURCE_BASHRC; a slow ~/.bashrc slows every command, as it does for Ansible.)
public enum ShellCommand {
    /// The transport's form of quoting: always in single quotes (see `ShellWords`).
    private static func quote(_ text: String) -> String { ShellWords.singleQuoted(text) }

    /// The command line and standard input for `command` with `environment` and no privilege change.
    static func plain(_ command: String, environment: [String: String]) throws -> StdinProgram {
        // exec: the login shell steps aside, so a signal that kills the command is what the caller sees.
        try StdinProgram(command, environment: environment) { "exec /bin/sh -c " + quote($0) }
    }

    /// The command line and standard input for `command` run through sudo as `become.user`.
    ///
    /// The inner shell first prints `session.marker` and its process id on their own line, so the output
    /// shows exactly when sudo let the command start, and a timeout can kill the command's own group; with a password, sudo reads it from standard input after printing
    /// `session.prompt` on standard error (`-S -p`). The program follows on standard input: sudo logs
    /// its command line and `ps` shows it to every user, so only fixed text may stand there.
    static func become(
        _ command: String, environment: [String: String], become: Become, session: BecomeSession
    ) throws -> StdinProgram {
        let auth = become.password == nil ? "-n" : "-S -p " + quote(session.prompt)
        return try StdinProgram(command, environment: environment) { reader in
            "exec sudo -H \(auth) -u \(quote(become.user)) -- /bin/sh -c "
                + quote("echo " + session.marker + " $$; " + reader)
        }
    }

    /// The program for `command` under `options`: through sudo, with the session that watches sudo's
    /// output, when the options ask to become another user; plain otherwise.
    static func program(_ command: String, options: CommandOptions) throws -> (StdinProgram, BecomeSession?) {
        guard let setting = options.become else {
            return (try plain(command, environment: options.environment), nil)
        }
        let session = BecomeSession(password: setting.password)
        return (try become(command, environment: options.environment, become: setting, session: session), session)
    }

    /// What `announcingPID` prints before the process id.
    static let pidPrefix = "capstan-pid "

    /// `line` preceded by printing the login shell's PID on stderr. The shell then execs the command, so
    /// that PID leads the command's process group (sshd starts each session with setsid): the one
    /// handle that lets a timeout kill the command, since sshd refuses signal requests in root sessions.
    static func announcingPID(_ line: String) -> String {
        "echo \"\(pidPrefix)$$\" >&2; " + line
    }

    /// SIGKILL to each of `pids`' process groups and to the processes themselves (for one that no
    /// longer leads its group), errors ignored: `kill -KILL -PID; kill -KILL PID; ` per PID.
    static func killingGroups(_ pids: [Int]) -> String {
        pids.map { "kill -KILL -\($0) 2>/dev/null; kill -KILL \($0) 2>/dev/null; " }.joined()
    }

    /// `export 'NAME=value'; ...; ` or nothing, for a shell that is already running (the resident shell's
    /// subshell).
    static func exports(_ environment: [String: String]) throws -> String {
        try checked(environment).map { "export " + quote($0.name + "=" + $0.value) + "; " }.joined()
    }

    /// `NAME='value' ...` assignments before a simple command (its environment alone), or nothing.
    static func assignments(_ environment: [String: String]) throws -> String {
        try checked(environment).map { $0.name + "=" + quote($0.value) + " " }.joined()
    }

    /// The environment in name order; names that are not shell identifiers are refused, so that a
    /// variable name can never inject shell syntax into any of the forms above.
    private static func checked(_ environment: [String: String]) throws -> [(name: String, value: String)] {
        try environment.sorted(by: { $0.key < $1.key }).map { name, value in
            guard isIdentifier(name) else { throw InvalidEnvironmentName(name: name) }
            return (name, value)
        }
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic)
                || ("0"..."9").contains($0)
        }
    }
}

/// An environment variable name that is not a shell identifier.
public struct InvalidEnvironmentName: Error, Sendable, CustomStringConvertible {
    /// The offending name.
    public var name: String
    /// The message.
    public var description: String { "environment variable name '\(name)' is not a shell identifier" }
}
