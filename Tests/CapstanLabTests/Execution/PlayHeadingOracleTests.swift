import CapstanTestSupport
import Foundation
import Testing

/// A play's hosts and name are templated with its `vars`, its `vars_files` (those that need no host's
/// variables) and the extra vars before they are matched or shown: `capstan play` and
/// `ansible-playbook` must print the same banners and listings.
struct PlayHeadingOracleTests {
    static let book = """
        - name: "Deploy {{ release }}"
          hosts: "{{ target | default('all') }}"
          gather_facts: false
          vars: {release: "{{ major }}.1", major: 4}
          tasks:
            - name: one
              debug: msg=hi
              tags: [a]
        - hosts: "{{ chosen }}"
          gather_facts: false
          vars: {chosen: "{{ first }}"}
          vars_files: [first.yml, "per-{{ inventory_hostname }}.yml"]
          tasks:
            - debug: msg=two

        """

    /// Runs both tools with `arguments` in a folder holding the playbook and a local inventory.
    static func both(_ arguments: [String]) throws -> (capstan: String, ansible: String) {
        let dir = TestScratch.directory + "/capstan-heading-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        try "first: localhost\n".write(toFile: "\(dir)/first.yml", atomically: true, encoding: .utf8)
        try "{}\n".write(toFile: "\(dir)/per-localhost.yml", atomically: true, encoding: .utf8)
        try "localhost ansible_connection=local\nother ansible_connection=local\n".write(
            toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
        let common = ["-i", "\(dir)/hosts.ini"] + arguments + ["\(dir)/book.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(ours.status == theirs.status, "\(arguments): capstan \(ours.err)")
        return (
            ours.out.replacingOccurrences(of: dir, with: "DIR"), theirs.out.replacingOccurrences(of: dir, with: "DIR")
        )
    }

    @Test(arguments: [
        ["--list-tasks"], ["--list-hosts"], ["--list-tags"], ["--list-hosts", "-e", "target=other"],
        ["--list-tasks", "-e", "release=9"],
    ])
    func listingsMatchAnsible(_ arguments: [String]) throws {
        let (capstan, ansible) = try Self.both(arguments)
        if arguments.contains("--list-hosts") {
            #expect(Self.hostsSorted(capstan) == Self.hostsSorted(ansible))
        } else {
            #expect(capstan == ansible)
        }
    }

    /// ansible-playbook lists a play's hosts in set order (it varies between runs): each block of host
    /// lines sorted.
    static func hostsSorted(_ text: String) -> [String] {
        var out: [String] = []
        var block: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("      ") {
                block.append(line)
                continue
            }
            out += block.sorted()
            block = []
            out.append(line)
        }
        return out + block.sorted()
    }

    @Test func bannersMatchAnsible() throws {
        let (capstan, ansible) = try Self.both(["-e", "target=other"])
        let banners = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("PLAY [") } }
        #expect(banners(capstan).map { $0.prefix { $0 != "]" } } == ["PLAY [Deploy 4.1", "PLAY [localhost"])
        #expect(banners(capstan) == banners(ansible))
    }
}
