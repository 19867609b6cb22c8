import CapstanTestSupport
import Foundation
import Testing

/// `~` at the start of a module's path arguments is the home of the user the module runs as, as
/// Ansible's modules expand it on the node; a relative path stays relative. Both tools run the same
/// playbook with `-c` `local` (the command line's connection type) on a folder of their own in the
/// test user's home (removed after): the statuses, the messages and the files must be the same.
struct TildePathOracleTests {
    static let book = """
        - hosts: h1
          gather_facts: false
          tasks:
            - file: path=~/DIR state=directory mode=0750
            - copy: dest=~/DIR/f content=hi mode=0640
            - lineinfile: path=~/DIR/f line=x
            - template: src=t.j2 dest=~/DIR/t
            - file: src=~/DIR/f dest=~/DIR/l state=link mode=0600
            - stat: path=~/DIR/f
              register: s
            - debug: msg="{{ s.stat.path }} {{ s.stat.mode }}"
            - file: path=~no-such-user-here/x state=absent
              register: r
            - debug: msg="{{ r.path }}"

        """

    @Test func tildeIsTheHomeOfTheModulesUser() throws {
        let trees = try ["capstan", "ansible"].map { tool -> (out: [String], tree: [String]) in
            let dir = TestScratch.directory + "/capstan-tilde-\(tool)-\(UUID().uuidString)"
            let name = "capstan-tilde-\(tool)-\(UUID().uuidString)"
            let home = FileManager.default.homeDirectoryForCurrentUser.path + "/" + name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer {
                try? FileManager.default.removeItem(atPath: dir)
                try? FileManager.default.removeItem(atPath: home)
            }
            try Self.book.replacingOccurrences(of: "DIR", with: name).write(
                toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
            try "{{ 6 * 7 }}\n".write(toFile: "\(dir)/t.j2", atomically: true, encoding: .utf8)
            try "h1\n".write(toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
            let arguments = [
                "-i", "\(dir)/hosts.ini", "-c", "local", "-e",
                "ansible_python_interpreter=\(Fixtures.packageRoot.path)/.build/venv/bin/python", "\(dir)/book.yml",
            ]
            let (status, out, err): (Int32, String, String)
            if tool == "capstan" {
                let r = try CapstanBinary.run(["play", "--no-journal"] + arguments)
                (status, out, err) = (r.status, r.out, r.err)
            } else {
                let r = try AnsiblePlaybook.run(arguments)
                (status, out, err) = (r.status, r.out, r.err)
            }
            #expect(status == 0, "\(tool): \(out)\(err)")
            let lines = out.split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("ok:") || $0.hasPrefix("changed:") || $0.contains("\"msg\"") }
                .map { $0.replacingOccurrences(of: home, with: "HOME") }
            return (lines, Self.tree(home))
        }
        #expect(trees[0].out.count == 11, "\(trees[0].out)")
        #expect(trees[0].out == trees[1].out)
        #expect(trees[0].tree == trees[1].tree)
    }

    /// Path, type, mode and content (or link text) of everything below `root`.
    static func tree(_ root: String) -> [String] {
        let fm = FileManager.default
        return (fm.subpaths(atPath: root) ?? []).sorted().map { rel in
            let full = root + "/" + rel
            var st = stat()
            _ = lstat(full, &st)
            let mode = String(format: "%04o", Int(st.st_mode) & 0o7777)
            if let link = try? fm.destinationOfSymbolicLink(atPath: full) {
                return "\(rel) -> \(link.replacingOccurrences(of: root, with: "HOME"))"
            }
            let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? "<dir>"
            return "\(rel) \(mode) \(text)"
        }
    }
}
