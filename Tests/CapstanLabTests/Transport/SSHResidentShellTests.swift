import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanTransport

/// The cases a resident shell's framing could get wrong, run with resident shells on and off so both
/// paths give the same answers; then what only resident shells do (reuse, fallback).
@Suite struct SSHResidentShellTests {
    /// `CAPSTAN_RESIDENT_SHELL` overrides the endpoint, which the resident-only tests need to set.
    static let residentSettingHonoured = ProcessInfo.processInfo.environment["CAPSTAN_RESIDENT_SHELL"] == nil

    @Test(arguments: [false, true])
    func exitInTheCommandEndsOnlyTheCommand(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        #expect(try await connection.run("echo before; exit 3").exitStatus == 3)
        let result = try await connection.run("exit 137")
        #expect(result.exitStatus == 137)
        #expect(result.signal == nil)
        #expect(try await connection.run("echo after").stdoutText == "after\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func commandReadsStdinToTheEnd(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        let input = (0..<1_000_001).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let counted = try await connection.run("wc -c", options: CommandOptions(stdin: input))
        #expect(counted.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "1000001")
        // Without stdin the command sees end of file at once instead of waiting.
        let empty = try await connection.run("cat; echo done", options: CommandOptions(timeout: .seconds(10)))
        #expect(empty.stdoutText == "done\n")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func outputWithoutNewlineClosedStdoutAndFrameLikeText(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        #expect(try await connection.run("printf abc").stdoutText == "abc")
        let closed = try await connection.run("echo first; exec >&-; echo gone >&2; echo more >&2")
        #expect(closed.stdoutText == "first\n")
        #expect(closed.stderrText == "gone\nmore\n")
        let lookalike = Array("capstan-frame 0 0 - 5 5\ncapstan-ready 1 /tmp\n".utf8) + [0, 0xff]
        let framed = try await connection.run(
            "printf 'capstan-frame 0 0 - 5 5\\ncapstan-ready 1 /tmp\\n\\000\\377'; printf 'capstan-frame' >&2")
        #expect(framed.stdout == lookalike)
        #expect(framed.stderrText == "capstan-frame")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func hugeArgumentList(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        // About 90 kB: below the kernel's 128 kB limit on one argument, which the per-channel path hits.
        let arguments = (0..<10_000).map { String(format: "a%05d", $0) }.joined(separator: " ")
        let result = try await connection.run("printf '%s\\n' \(arguments) | wc -l")
        #expect(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "10000")
        await connection.close()
    }

    @Test(arguments: [false, true])
    func commandKillingItsProcessGroupIsReportedAsKilled(resident: Bool) async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: resident)
        let result = try await connection.run("echo partial; kill -KILL 0")
        #expect(result.signal == "KILL")
        #expect(result.exitStatus == nil)
        #expect(try await connection.run("echo next").stdoutText == "next\n")
        await connection.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func shellWhoseDirectoryVanishedFallsBackWithoutRunningTwice()
        async throws
    {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let scratch = try HostCommand.temporaryDirectory("resident-count")
        let marker = scratch + "/count"
        // The command removes the resident shell's own directory (found from its stdout file).
        let removeOwn =
            "f=$(readlink /proc/$$/fd/1); case $f in /*/capstan-rs.*/o.*) rm -rf \"${f%/*}\";"
            + " echo \"${f%/*}\" >\(scratch)/removed;; esac"
        _ = try await connection.run(removeOwn)
        let removed = try String(contentsOfFile: scratch + "/removed", encoding: .utf8)
        #expect(removed.contains("/capstan-rs."))
        #expect(!FileManager.default.fileExists(atPath: removed.trimmingCharacters(in: .newlines)))
        let result = try await connection.run("echo x >>\(marker); echo again")
        #expect(result.stdoutText == "again\n")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "x\n")
        await connection.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func timeoutKillsTheShellAndRemovesItsDirectory() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let file = try await connection.run("readlink /proc/$$/fd/1").stdoutText
        let directory = URL(fileURLWithPath: file.trimmingCharacters(in: .newlines)).deletingLastPathComponent().path
        #expect(directory.contains("capstan-rs."))
        #expect(FileManager.default.fileExists(atPath: directory))
        await #expect(throws: ConnectionError.self) {
            try await connection.run("sleep 30", options: CommandOptions(timeout: .milliseconds(500)))
        }
        var exists = true
        for _ in 0..<50 where exists {
            exists = FileManager.default.fileExists(atPath: directory)
            if exists { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!exists)
        #expect(try await connection.run("echo next").stdoutText == "next\n")
        await connection.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func residentShellIsReusedAndChannelsAreNot() async throws {
        let server = try LoopbackSSHD()
        // The command's parent: the resident shell (the same one each time), or sshd for a channel.
        let parent = "echo $PPID $(cat /proc/$PPID/comm)"
        let resident = SSHCommandTests.connection(server, resident: true)
        let first = try await resident.run(parent).stdoutText
        #expect(first.hasSuffix(" sh\n"))
        #expect(try await resident.run(parent).stdoutText == first)
        await resident.close()
        let perChannel = SSHCommandTests.connection(server, resident: false)
        #expect(try await perChannel.run(parent).stdoutText.hasSuffix(" sshd\n"))
        await perChannel.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func becomeCommandsGetChannelsWhileResidentShellsAreBusy() async throws
    {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<12 {
                group.addTask { try await connection.run("sleep 0.3; echo \(index)").stdoutText }
            }
            group.addTask {
                try await connection.run("id -un", options: CommandOptions(become: Become(user: "nobody"))).stdoutText
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(outputs == Set((0..<12).map { "\($0)\n" } + ["nobody\n"]))
        #expect(try await connection.run("echo after").stdoutText == "after\n")
        await connection.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func chattyBashrcIsSkippedByTheResidentShell() async throws {
        let server = try LoopbackSSHD()
        // The fixture's sshd sees this file as /root/.bashrc (bind mount); written in place, not replaced.
        try "echo hello from bashrc\n".write(
            toFile: server.directory + "/empty-bashrc", atomically: false, encoding: .utf8)
        let perChannel = SSHCommandTests.connection(server, resident: false)
        #expect(try await perChannel.run("echo ok").stdoutText == "hello from bashrc\nok\n")
        await perChannel.close()
        let resident = SSHCommandTests.connection(server, resident: true)
        let parent = try await resident.run("echo $(cat /proc/$PPID/comm)").stdoutText
        #expect(parent == "sh\n")
        await resident.close()
    }

    @Test(.enabled(if: residentSettingHonoured)) func shellThatCannotStartFallsBackToChannels() async throws {
        // mktemp fails: the resident shell exits before announcing itself, and commands still run.
        let server = try LoopbackSSHD(extraConfig: ["SetEnv TMPDIR=/nonexistent/capstan"])
        let connection = SSHCommandTests.connection(server, resident: true)
        let result = try await connection.run("echo $TMPDIR; exit 4")
        #expect(result.stdoutText == "/nonexistent/capstan\n")
        #expect(result.exitStatus == 4)
        #expect(try await connection.run("echo again").stdoutText == "again\n")
        await connection.close()
    }

    /// Capstan's own programs run in a subshell with stdout streamed before the header: the same
    /// answers as a fresh shell, and none of the resident shell's variables or arguments leak in.
    @Test(.enabled(if: residentSettingHonoured)) func ownProgramsInASubshellAnswerAsAFreshShell() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let own = CommandOptions(timeout: .seconds(20), subshell: true)
        #expect(try await connection.run("echo before; exit 3", options: own).exitStatus == 3)
        let killed = try await connection.run("kill -KILL $(sh -c 'echo $PPID')", options: own)
        #expect(killed.signal == "KILL")
        #expect(try await connection.run("exit 137", options: own).exitStatus == 137)
        #expect(try await connection.run("printf abc", options: own).stdoutText == "abc")
        let leaks = try await connection.run("echo \"${s-}|${x-}|${d-}|$#\"", options: own)
        #expect(leaks.stdoutText == "|||0\n")
        let lookalike = Array("capstan-frame 0 0 - 1 1\ncapstan-eof-\ncapstan-ready 1 /tmp\n".utf8) + [0, 0xff]
        let framed = try await connection.run(
            "printf 'capstan-frame 0 0 - 1 1\\ncapstan-eof-\\ncapstan-ready 1 /tmp\\n\\000\\377'; printf x >&2",
            options: own)
        #expect(framed.stdout == lookalike)
        #expect(framed.stderrText == "x")
        var withInput = own
        withInput.stdin = Array("line one\nline two\n".utf8)
        #expect(try await connection.run("wc -l", options: withInput).stdoutText.hasPrefix("2"))
        // Output that arrives in many packets: the end marker is found however the data is split.
        let big = try await connection.run("head -c 3000000 /dev/zero | tr '\\0' a; echo; echo tail", options: own)
        #expect(big.stdout.count == 3_000_006)
        #expect(big.stdoutText.hasSuffix("a\ntail\n"))
        #expect(try await connection.run("echo after", options: own).stdoutText == "after\n")
        #expect(try await connection.run("echo fresh").stdoutText == "fresh\n")
        await connection.close()
    }

    /// A shell that keeps programs (a keeper's) defines each own program once and then only calls it:
    /// the answers stay those of the text (fresh variables, no arguments, exit status), a program
    /// that does not parse reports its syntax error every time, and the least recently used function
    /// is unset when what is kept would pass the budget.
    @Test(.enabled(if: residentSettingHonoured)) func keptProgramsAnswerAsTheirText() async throws {
        let server = try LoopbackSSHD()
        let own = CommandOptions(timeout: .seconds(20), subshell: true)
        let program = "echo \"${v-unset} $#\"; v=set; exit 4"
        let check = "command -v \(ResidentProgramCache.functionName(for: program)) >/dev/null && echo kept || echo gone"
        let kill = "kill -KILL $(sh -c 'echo $PPID')"
        // Room for exactly three programs: the check, the program and the kill.
        var endpoint = server.endpoint()
        endpoint.keptProgramBytes = [check, program, kill].map(\.utf8.count).reduce(0, +)
        let connection = SSHConnection(endpoint: endpoint)
        #expect(try await connection.run(check, options: own).stdoutText == "gone\n")
        for _ in 0..<3 {
            let result = try await connection.run(program, options: own)
            #expect(result.stdoutText == "unset 0\n")
            #expect(result.exitStatus == 4)
        }
        #expect(try await connection.run(check, options: own).stdoutText == "kept\n")
        for _ in 0..<2 {
            let broken = try await connection.run("if then", options: own)
            #expect(broken.exitStatus == 2 || broken.exitStatus == 127)
            #expect(broken.stderrText.contains("Syntax error"), "\(broken.stderrText)")
        }
        let killed = try await connection.run(kill, options: own)
        #expect(killed.signal == "KILL")
        // Kept now: the check, the program, the kill. A kept program still reads its own stdin.
        for input: [UInt8] in [Array("first\n".utf8), [0x61, 0, 0x0A], Array("second\nline\n".utf8)] {
            var withInput = own
            withInput.stdin = input
            #expect(try await connection.run("cat", options: withInput).stdout == input)
        }
        // The reader of stdin pushed out the least recently used, the program: unset in the shell,
        // and defined again when it runs.
        #expect(try await connection.run(check, options: own).stdoutText == "gone\n")
        #expect(try await connection.run(program, options: own).stdoutText == "unset 0\n")
        await connection.close()
    }

    /// Own programs reuse fixed files in the shell's directory (beside the shell's `pid`); users'
    /// commands get numbered ones, removed after 64 more user commands.
    @Test(.enabled(if: residentSettingHonoured)) func ownProgramsReuseTheirFilesAndUsersFilesAreSwept() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let own = CommandOptions(subshell: true)
        // An own program's stderr is the shell's `e` file: its folder is the shell's directory.
        let list = "d=$(readlink /proc/self/fd/2); ls -A \"${d%/*}\" | tr '\\n' ' '"
        for i in 0..<5 { _ = try await connection.run("echo \(i) >&2; exit \(i)", options: own) }
        #expect(try await connection.run(list, options: own).stdoutText == "e pid x ")
        for _ in 0..<70 { _ = try await connection.run("true") }
        let files = try await connection.run(list, options: own).stdoutText.split(separator: " ")
        let numbered = files.filter { $0.hasPrefix("e.") }
        #expect(!numbered.isEmpty && numbered.count <= ResidentShellScript.sweepEvery, "\(files)")
        await connection.close()
    }

    /// Text stdin goes in as a here-document, anything else (NUL bytes, no last line break, not UTF-8,
    /// too large) through base64: both arrive byte for byte, for own programs and users' commands.
    @Test(.enabled(if: residentSettingHonoured)) func stdinArrivesExactlyAsHereDocumentOrBase64() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let inputs: [[UInt8]] = [
            Array("plain\n".utf8),
            Array("capstan_stdin_\nEOF\n'quoted' \"double\" $HOME `date` \\ \\\n\r\n\ttab\n".utf8),
            Array("no last line break".utf8),
            Array("é 漢字\n".utf8),
            [0x63, 0xE9, 0x0A],
            Array("nul\0inside\n".utf8),
            Array(String(repeating: "line\n", count: 2_000).utf8),  // past a pipe's 4 KiB: dash forks a writer
            Array(repeating: UInt8(ascii: "x"), count: ResidentShellScript.hereDocumentLimit) + [10],
        ]
        for input in inputs {
            for subshell in [false, true] {
                let result = try await connection.run("cat", options: CommandOptions(stdin: input, subshell: subshell))
                #expect(result.stdout == input, "\(input.count) bytes, subshell \(subshell)")
            }
        }
        #expect(ResidentShellScript.hereDocumentText(Array("a\nb\n".utf8)) == "a\nb")
        for refused in [Array("a".utf8), [0x61, 0, 0x0A], [0xFF, 0x0A], inputs.last!] {
            #expect(ResidentShellScript.hereDocumentText(refused) == nil)
        }
        await connection.close()
    }

    /// The resident shell looks common tools up once; a task whose PATH puts another copy first must
    /// still get that copy (dash forgets its table when PATH changes).
    @Test(.enabled(if: residentSettingHonoured)) func aTasksPathWinsOverToolsLookedUpBefore() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHCommandTests.connection(server, resident: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fake = dir.appendingPathComponent("stat").path
        try "#!/bin/sh\necho fake stat\n".write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        let own = CommandOptions(subshell: true)
        #expect(try await connection.run("stat -c %F /", options: own).stdoutText == "directory\n")
        var moved = own
        moved.environment = ["PATH": dir.path + ":/usr/bin:/bin"]
        #expect(try await connection.run("stat -c %F /", options: moved).stdoutText == "fake stat\n")
        #expect(try await connection.run("stat -c %F /", options: own).stdoutText == "directory\n")
        await connection.close()
    }

    @Test func headerParsing() {
        let nonce = "abc123"
        #expect(
            ResidentShellScript.parseHeader("capstan-frame abc123 0 0 1 0", nonce: nonce)
                == .init(exitStatus: 0, hasStdout: true))
        #expect(
            ResidentShellScript.parseHeader("capstan-frame abc123 137 - 0 1", nonce: nonce)
                == .init(signal: "KILL", hasStderr: true))
        #expect(
            ResidentShellScript.parseHeader("capstan-frame abc123 137 137 0 0", nonce: nonce)
                == .init(exitStatus: 137))
        #expect(ResidentShellScript.parseHeader("capstan-frame abc123 r - 0 0", nonce: nonce) == .init(started: false))
        #expect(ResidentShellScript.parseHeader("capstan-frame other 0 0 0 0", nonce: nonce) == nil)
        #expect(ResidentShellScript.parseHeader("capstan-frame abc123 0 0 2 0", nonce: nonce) == nil)
        #expect(ResidentShellScript.parseReady("capstan-ready 42 /tmp/capstan-rs.AbC_1") != nil)
        #expect(ResidentShellScript.parseReady("capstan-ready 42 /tmp/x y") == nil)
        #expect(ResidentShellScript.parseReady("capstan-ready 42 /tmp/it's") == nil)
    }
}
