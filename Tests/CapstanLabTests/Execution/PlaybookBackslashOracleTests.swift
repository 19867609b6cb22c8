import CapstanTestSupport
import Foundation
import Testing

/// Backslashes in templates from YAML, as a playbook run reads them: task arguments, variables, facts and
/// loops keep the backslashes of `{{ }}` string literals (Ansible's escape_backslashes), `{% %}` tags and
/// conditionals keep Jinja's escapes. `capstan play` and `ansible-playbook` must print the same values.
struct PlaybookBackslashOracleTests {
    static let book = #"""
        - hosts: localhost
          gather_facts: false
          vars:
            url: https://pkgs.example.org:443/deb/
            tabbed: "{{ 'a\\tb' }}"
            out: kubeadm join 10.0.0.1:6443 --token abc.def
          tasks:
            - debug:
                msg: "{{ url | regex_replace('^[a-z]+://([^/:]+).*$', '\\1') }}"
            - debug:
                msg: |
                  {{ url | regex_replace('^[a-z]+://([^/:]+).*$', '\\1') }}
            - debug:
                msg: "{{ tabbed }}"
            - set_fact:
                token: "{{ out | regex_search('--token (\\S+)', '\\1') | first }}"
            - debug:
                var: token
            - debug:
                msg: "{% set s = 'x\\ty' %}{{ s }}|{{ 'x\\ty' }}"
            - debug:
                msg: matched
              when: "'a1' is match('a\\\\d')"
            - debug:
                msg: "{{ item }}"
              loop: "{{ ['p\\q'] }}"
        """#

    @Test func debugValuesMatchAnsible() throws {
        let dir = TestScratch.directory + "/capstan-backslash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        try "localhost ansible_connection=local\n".write(toFile: "\(dir)/hosts.ini", atomically: true, encoding: .utf8)
        let common = ["-i", "\(dir)/hosts.ini", "\(dir)/book.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(ours.status == 0 && theirs.status == 0, "capstan: \(ours.err), ansible: \(theirs.err)")
        let values = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("    \"") } }
        #expect(values(ours.out).count == 7)
        #expect(values(ours.out) == values(theirs.out), "capstan:\n\(ours.out)\nansible:\n\(theirs.out)")
    }
}
