import CapstanTestSupport
import Foundation
import Testing

/// `ansible_connection` as templates see it: a host's variable wins, else the `connection` keyword in
/// force (play, then task), else `-c`, else `ssh`. `capstan play` and ansible-playbook must print the
/// same value for each host and task (debug runs on the controller, so no host is contacted).
struct ConnectionVariableOracleTests {
    static let book = """
        - hosts: h1,h2
          gather_facts: false
          tasks:
            - debug: msg="first {{ ansible_connection | default('UNDEF') }}"
        - hosts: h1,h2
          gather_facts: false
          connection: paramiko
          tasks:
            - debug: msg="second {{ ansible_connection | default('UNDEF') }}"
            - debug: msg="third {{ ansible_connection | default('UNDEF') }}"
              connection: local

        """

    @Test(arguments: [[], ["-c", "local"]])
    func connectionVariableMatchesAnsible(_ arguments: [String]) throws {
        let dir = TestScratch.directory + "/capstan-connection-variable-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        try "h1\nh2 ansible_connection=local\n".write(toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
        let common = ["-i", "\(dir)/hosts.ini"] + arguments + ["\(dir)/book.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(ours.status == theirs.status, "\(arguments): capstan \(ours.err)")
        #expect(Self.messages(theirs.out).count == 6, "ansible-playbook: \(theirs.out)\(theirs.err)")
        #expect(Self.messages(ours.out) == Self.messages(theirs.out), "\(arguments)")
    }

    /// `HOST MESSAGE` for each debug line, sorted: hosts report in the order they finish.
    static func messages(_ text: String) -> [String] {
        var host = ""
        var out: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("ok: [") { host = String(line.dropFirst(5).prefix { $0 != "]" }) }
            if line.contains("\"msg\": \"") { out.append(host + " " + line.trimmingCharacters(in: .whitespaces)) }
        }
        return out.sorted()
    }
}
