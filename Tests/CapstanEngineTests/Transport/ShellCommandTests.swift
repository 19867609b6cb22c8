import Foundation
import Testing

@testable import CapstanEngine

/// Quoting and sudo-output handling, with /bin/sh itself as the oracle for quoting.
@Suite struct ShellCommandTests {
    @Test(arguments: ["plain", "", "it's", "''", "a b\tc\nd", "$HOME `id` $(id) \\ \" ; | & > <", "é ✓ \u{1}"])
    func quotingSurvivesTheShell(text: String) throws {
        let printed = try HostCommand.run(["/bin/sh", "-c", "printf %s " + ShellCommand.quote(text)])
        #expect(printed == text)
    }

    @Test func becomeCommandKeepsThePasswordOutOfTheCommandLine() throws {
        let session = BecomeSession(password: Secret("pa55"))
        let line = try ShellCommand.become(
            "id", environment: ["A": "1"], become: Become(user: "postgres", password: Secret("pa55")), session: session)
        #expect(!line.contains("pa55"))
        #expect(line.hasPrefix("exec sudo -H -S -p "))
        #expect(line.contains("-u 'postgres' -- env 'A=1' /bin/sh -c 'echo \(session.marker); id'"))
        let noPassword = try ShellCommand.become("id", environment: [:], become: Become(), session: session)
        #expect(noPassword.hasPrefix("exec sudo -H -n -u 'root' -- /bin/sh -c "))
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
        let marker = Array((session.marker + "\nhello").utf8)
        #expect(session.filterStdout(Array(marker[..<10]), action: &action).isEmpty)
        #expect(session.filterStdout(Array(marker[10...]), action: &action) == Array("hello".utf8))
        #expect(action == .started)
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
