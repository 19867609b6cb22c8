import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTransport

/// Quoting and sudo-output handling, with /bin/sh itself as the oracle for quoting.
@Suite struct ShellCommandTests {
    @Test(arguments: ["plain", "", "it's", "''", "a b\tc\nd", "$HOME `id` $(id) \\ \" ; | & > <", "é ✓ \u{1}"])
    func quotingSurvivesTheShell(text: String) throws {
        let printed = try HostCommand.run(["/bin/sh", "-c", "printf %s " + ShellWords.singleQuoted(text)])
        #expect(printed == text)
    }

    @Test func becomeCommandLineHoldsNoPasswordProgramOrEnvironment() throws {
        let session = BecomeSession(password: Secret("pa55"))
        let program = try ShellCommand.become(
            "echo s3cret-arg", environment: ["A": "s3cret-env"],
            become: Become(user: "postgres", password: Secret("pa55")),
            session: session)
        for secret in ["pa55", "s3cret-arg", "s3cret-env"] { #expect(!program.commandLine.contains(secret)) }
        #expect(program.commandLine.hasPrefix("exec sudo -H -S -p "))
        #expect(program.commandLine.contains("-u 'postgres' -- /bin/sh -c 'echo \(session.marker) $$; "))
        let text = String(decoding: program.preamble, as: UTF8.self)
        #expect(text.contains("export 'A=s3cret-env'") && text.contains("echo s3cret-arg"))
        let noPassword = try ShellCommand.become("id", environment: [:], become: Become(), session: session)
        #expect(noPassword.commandLine.hasPrefix("exec sudo -H -n -u 'root' -- /bin/sh -c "))
    }

    /// The reader takes exactly the program from stdin: the command gets the rest, byte for byte, and
    /// sees neither the reader's variables nor a shortened program.
    @Test(arguments: ["", "line\n", "no newline at the end", "a\\b\n  indented\n\n"])
    func programOnStdinRunsAndLeavesTheCommandItsInput(input: String) async throws {
        let command = "printf '%s|' \"$A\" \"${c-unset}${l-unset}${n-unset}\"; cat; exit 7"
        let result = try await LocalConnection().run(
            command, options: CommandOptions(stdin: Array(input.utf8), environment: ["A": "it's \\ $x"]))
        #expect(result.stdoutText == "it's \\ $x|unsetunsetunset|" + input)
        #expect(result.exitStatus == 7)
    }

    @Test func promptAndMarkerAreFoundAcrossChunkBoundaries() {
        var session = BecomeSession(password: Secret("pw"))
        var action = BecomeSession.Action.none
        let prompt = Array(session.prompt.utf8)
        #expect(session.filterStderr(Array(prompt[..<5]), action: &action).isEmpty)
        #expect(action == .none)
        #expect(session.filterStderr(Array(prompt[5...]), action: &action).isEmpty)
        #expect(action == .sendPassword)
        action = .none
        let marker = Array((session.marker + " 4242\nhello").utf8)
        #expect(session.filterStdout(Array(marker[..<10]), action: &action).isEmpty)
        #expect(session.filterStdout(Array(marker[10...]), action: &action) == Array("hello".utf8))
        #expect(action == .started)
        #expect(session.commandPID == 4242)
        #expect(session.takeHeldStderr().isEmpty)
        #expect(session.filterStdout(Array("more".utf8), action: &action) == Array("more".utf8))
    }

    @Test func secondPromptMeansThePasswordWasRejected() {
        var session = BecomeSession(password: Secret("pw"))
        var action = BecomeSession.Action.none
        _ = session.filterStderr(Array(session.prompt.utf8), action: &action)
        #expect(action == .sendPassword)
        action = .none
        _ = session.filterStderr(Array(("Sorry, try again.\n" + session.prompt).utf8), action: &action)
        #expect(action == .passwordRejected)
        #expect(session.failure(host: "h", user: "root") == .becomePasswordWrong(host: "h", user: "root"))
    }
}
