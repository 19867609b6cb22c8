import CapstanTestSupport
import Foundation
import Testing

/// `module_defaults` at play, block and task level, as a mapping or a list of mappings, by short and
/// full module names; the innermost mention of a module replaces the outer ones whole, and the
/// task's own arguments win over all.
/// `capstan play -c local` and ansible-playbook must leave the same files with the same modes and
/// print the same messages.
struct ModuleDefaultsOracleTests {
    static let book = """
        - hosts: h1
          gather_facts: false
          module_defaults:
            ansible.builtin.file: {mode: "0600", state: touch}
            debug: {msg: from the play}
          tasks:
            - file: path=DIR/play-level
            - file: path=DIR/task-wins mode=0700
            - file: path=DIR/absent-in-block state=absent
            - block:
                - file: path=DIR/block-level
                - ansible.builtin.copy: dest=DIR/copied content=x
                  module_defaults:
                    - copy: {mode: "0604"}
                    - ansible.legacy.copy: {mode: "0641"}
              module_defaults:
                file: {mode: "0640", state: touch}
            - block:
                - file: path=DIR/dir-level
              module_defaults:
                ansible.builtin.file: {state: directory}
            - debug:
            - debug: msg=own

        """

    @Test func defaultsApplyAsInAnsible() throws {
        let results = try ["capstan", "ansible"].map { tool -> (out: [String], files: [String]) in
            let dir = TestScratch.directory + "/capstan-module-defaults-\(tool)-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try Self.book.replacingOccurrences(of: "DIR", with: dir + "/out").write(
                toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
            try "h1\n".write(toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
            let arguments = [
                "-i", "\(dir)/hosts.ini", "-c", "local", "-e",
                "ansible_python_interpreter=\(Fixtures.packageRoot.path)/.build/venv/bin/python", "\(dir)/book.yml",
            ]
            let (status, out): (Int32, String)
            if tool == "capstan" {
                let r = try CapstanBinary.run(["play", "--no-journal"] + arguments)
                (status, out) = (r.status, r.out + r.err)
            } else {
                let r = try AnsiblePlaybook.run(arguments)
                (status, out) = (r.status, r.out + r.err)
            }
            #expect(status == 0, "\(tool): \(out)")
            let lines = out.split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("ok:") || $0.hasPrefix("changed:") || $0.contains("\"msg\"") }
            let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted().map { name in
                let mode = try FileManager.default.attributesOfItem(atPath: dir + "/out/" + name)[.posixPermissions]
                return "\(name) \(String(format: "%04o", (mode as? Int) ?? -1))"
            }
            return (lines, files)
        }
        #expect(results[0].files.count == 5, "\(results[0].files)")
        #expect(results[0].out == results[1].out)
        #expect(results[0].files == results[1].files)
    }
}
