import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

/// `script` run for real with a local shell: the controller script is found like copy's `src`,
/// sent and run in one remote command, with its arguments, `chdir`, `executable`, `creates` and
/// `removes` as Ansible's action handles them (ansible-core 2.19's `plugins/action/script.py`).
@Suite(.serialized) struct ScriptModuleTests {
    let box: FileSandbox

    init() throws {
        box = try FileSandbox()
        try FileManager.default.createDirectory(atPath: box.path("files"), withIntermediateDirectories: true)
        try box.write(
            "files/args.sh", "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\necho err >&2\nexit \"${RC:-0}\"\n")
        chmod(box.path("files/args.sh"), 0o755)
        try box.write("plain.sh", "echo \"$0 in $(pwd)\"\nread line || echo no-stdin\n")
        try FileManager.default.createDirectory(atPath: box.path("work"), withIntermediateDirectories: true)
    }

    @Test func runsTheScriptWithItsArgumentsInOneCommand() async throws {
        let r = try await box.run("script", ["_raw_params": .string("args.sh one 'two words' \"$HOME\"x")])
        #expect(r.status == .changed)
        #expect(r.fields["rc"] == 0)
        #expect(
            r.fields["stdout_lines"] == [
                "[one]", "[two words]", .string("[\(ProcessInfo.processInfo.environment["HOME"] ?? "")x]"),
            ])
        #expect(r.fields["stderr"] == "err\n")
        #expect(box.connection.roundTrips == 1)
        // The temporary folder is gone afterwards.
        let left = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter {
            $0.hasPrefix("capstan-script-")
        }
        #expect(left.isEmpty)
    }

    @Test func aFailingScriptFailsWithItsOutput() async throws {
        let r = try await box.run("ansible.builtin.script", ["cmd": "args.sh x && exit 3"])
        #expect(r.status == .failed)
        #expect(r.fields["rc"] == 3 && r.msg == "non-zero return code")
        #expect(r.fields["changed"] == true)
    }

    @Test func executableAndChdir() async throws {
        let r = try await box.run(
            "script", ["_raw_params": "plain.sh", "executable": "/bin/sh", "chdir": .string(box.path("work"))])
        #expect(r.status == .changed)
        let out = r.fields["stdout"]?.stringValue ?? ""
        #expect(out.hasSuffix("/plain.sh in \(box.path("work"))\nno-stdin\n"), "\(out)")
        let relative = try await box.run("script", ["_raw_params": "plain.sh", "chdir": "work"])
        #expect(
            relative.status == .failed
                && relative.msg == "chdir work must be an absolute path for a Unix-aware remote node")
    }

    @Test func createsAndRemovesSkip() async throws {
        try box.write("there", "x")
        let skipped = try await box.run("script", ["_raw_params": "args.sh", "creates": .string(box.path("there"))])
        #expect(skipped.status == .skipped && skipped.msg == "\(box.path("there")) exists, matching creates option")
        let removes = try await box.run("script", ["_raw_params": "args.sh", "removes": .string(box.path("absent"))])
        #expect(
            removes.status == .skipped && removes.msg == "\(box.path("absent")) does not exist, matching removes option"
        )
        let runs = try await box.run("script", ["_raw_params": "args.sh", "removes": .string(box.path("there"))])
        #expect(runs.status == .changed)
    }

    @Test func checkModeRunsNothing() async throws {
        let before = box.tree()
        let plain = try await box.run("script", ["_raw_params": .string("args.sh > \(box.path("out"))")], check: true)
        #expect(plain.status == .skipped && plain.msg == "Check mode is not supported for this task.")
        let guarded = try await box.run(
            "script", ["_raw_params": .string("args.sh > \(box.path("out"))"), "creates": .string(box.path("out"))],
            check: true)
        #expect(guarded.status == .changed)
        #expect(box.tree() == before)
    }

    @Test func missingScriptsAndArguments() async throws {
        let missing = try await box.run("script", ["_raw_params": "nope.sh"])
        #expect(missing.status == .failed && missing.msg.hasPrefix("Could not find or access 'nope.sh'"))
        #expect(throws: ModuleArgumentError.self) { try ModuleRegistry.standard.instantiate("script", arguments: [:]) }
        #expect(throws: ModuleArgumentError.self) {
            try ModuleRegistry.standard.instantiate("script", arguments: ["_raw_params": "a.sh", "cmd": "b.sh"])
        }
    }
}
