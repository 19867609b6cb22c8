import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// The sh helpers the system modules' programs share, run by the node's `/bin/sh` (here the local one).
@Suite struct RemoteProgramTests {
    let connection = LocalConnection()

    /// `say` keeps one pair per line: line breaks in a value become spaces (through `tr`), any other
    /// value is printed as it is (without a process).
    @Test func sayFoldsLineBreaksAndKeepsOtherValues() async throws {
        let body = """
            say plain "a b  c"
            say empty ""
            say lines "one
            two
            "
            say glob '*'
            say dashes '-n -e'
            """
        let result = try await connection.run(RemoteProgram.prelude + body)
        #expect(result.stdoutText == "plain=a b  c\nempty=\nlines=one two \nglob=*\ndashes=-n -e\n")
        let report = ProgramReport(result)
        #expect(report["lines"] == "one two ")
    }

    /// `user`'s `nth LINE N` sets `$f` to the Nth colon-separated field, as `cut -d: -fN` gives it.
    @Test func userFieldMatchesCut() async throws {
        let start = try #require(UserProgram.body.range(of: "nth() {"))
        let end = try #require(UserProgram.body.range(of: "\n", range: start.upperBound..<UserProgram.body.endIndex))
        let nth = String(UserProgram.body[start.lowerBound..<end.lowerBound])
        for line in ["kube:x:998:995:Kube Bench,,,:/home/kube:/usr/sbin/nologin", "a:x:1:2:::", "b::3:4:c::/bin/sh"] {
            for n in 1...8 {
                let quoted = ShellWords.quote(line)
                let ours = try await connection.run("\(nth)\nnth \(quoted) \(n); printf %s \"$f\"").stdoutText
                let cut = try await connection.run("printf '%s' \(quoted) | cut -d: -f\(n)").stdoutText
                #expect(ours + "\n" == cut, "field \(n) of \(line)")
            }
        }
    }
}
