import CapstanTestSupport
import Foundation
import Testing

/// `ansible_play_hosts`, `ansible_play_batch`, `play_hosts` and `ansible_play_hosts_all` as a play
/// runs: failed hosts leave the first three from the failing task on (a rescue takes its host back),
/// earlier plays' failures stay out, `serial` batches and `--limit` shape them. `capstan play` must
/// print what ansible-playbook prints.
struct PlayHostListsOracleTests {
    static let book = """
        - hosts: g
          gather_facts: false
          serial: 2
          tasks:
            - debug: msg="A {{ ansible_play_hosts }} {{ ansible_play_batch }} {{ play_hosts }} {{ ansible_play_hosts_all }}"
            - block:
                - fail: msg=boom
                  when: inventory_hostname == 'h1'
              rescue:
                - debug: msg="R {{ ansible_play_hosts }} {{ ansible_play_batch }}"
            - fail: msg=boom2
              when: inventory_hostname == 'h2'
            - debug: msg="B {{ ansible_play_hosts }} {{ ansible_play_batch }} {{ play_hosts }} {{ ansible_play_hosts_all }}"
        - hosts: g
          gather_facts: false
          tasks:
            - debug: msg="C {{ ansible_play_hosts }} {{ ansible_play_batch }} {{ ansible_play_hosts_all }}"

        """

    @Test(arguments: [[], ["--limit", "h1,h3"], ["--limit", "h2,h3"]])
    func hostListsMatchAnsible(_ arguments: [String]) throws {
        let dir = TestScratch.directory + "/capstan-play-hosts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        try "[g]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n".write(
            toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
        let common = ["-i", "\(dir)/hosts.ini"] + arguments + ["\(dir)/book.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(ours.status == theirs.status, "\(arguments): capstan \(ours.err)")
        // Hosts report in the order they finish: compare each tool's messages as a sorted list.
        let messages = { (text: String) in
            text.split(separator: "\n").filter { $0.contains("\"msg\": \"") }.map(String.init).sorted()
        }
        #expect(!messages(theirs.out).isEmpty, "ansible-playbook: \(theirs.out)\(theirs.err)")
        #expect(messages(ours.out) == messages(theirs.out), "\(arguments)")
    }
}
