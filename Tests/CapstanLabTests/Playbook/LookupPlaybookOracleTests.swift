import CapstanTestSupport
import Foundation
import Testing

/// Lookups inside a role run by both tools on a local host: `with_first_found` searching the role's
/// `vars/` for `include_vars` and `files/` for other actions, `lookup('template')` from the role's
/// `templates/`, `with_subelements` handing out the element without its list, `pipe`/`lines` on
/// the controller, `file` and `inventory_hostnames` over a pattern. `capstan play` must print what
/// `ansible-playbook` prints.
struct LookupPlaybookOracleTests {
    static let tasks = """
        - include_vars: "{{ item }}"
          with_first_found:
            - "{{ missing | default('nope') }}.yml"
            - common.yml
        - debug:
            msg: "{{ role_var }} {{ lookup('template', 'greet.j2') | trim }} {{ lookup('first_found', 'vars/common.yml') | basename }}"
        - debug: msg="{{ item | basename }}"
          with_first_found:
            - files: [missing.txt, data.txt]
        - debug: msg="{{ item.0.name }} {{ item.1 }} {{ item.0.keys() | list }}"
          with_subelements:
            - [{name: a, ks: [1, 2]}]
            - ks
        - debug:
            msg: "{{ lookup('pipe', 'cat marker.txt') }} {{ query('inventory_hostnames', 'all:!other') }}"
        - debug:
            msg: "{{ lookup('first_found', 'nothing.txt', errors='ignore') }} {{ query('fileglob', '*.txt') | map('basename') | list }}"
        - debug: msg="{{ item }}"
          with_inventory_hostnames: ["all:!other"]
        - debug: msg="{{ item }}"
          with_lines: cat marker.txt
        - debug: msg="{{ item }}"
          with_file: [data.txt]

        """

    @Test func roleLookupsPrintWhatAnsiblePrints() throws {
        let dir = TestScratch.directory + "/capstan-lookups-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [String: String] = [
            "roles/r/tasks/main.yml": Self.tasks,
            "roles/r/vars/common.yml": "role_var: from-vars\n",
            "roles/r/templates/greet.j2": "Hello {{ role_var }}\n",
            "roles/r/files/data.txt": "x\n",
            "marker.txt": "from the playbook folder\n",
            "book.yml": "- hosts: all\n  gather_facts: false\n  roles: [r]\n",
            "hosts.ini": "localhost ansible_connection=local\nother ansible_connection=local\n",
        ]
        for (path, text) in files {
            let full = "\(dir)/\(path)"
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let common = ["-i", "\(dir)/hosts.ini", "-l", "localhost", "\(dir)/book.yml"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try AnsiblePlaybook.run(common)
        #expect(ours.status == theirs.status, "capstan: \(ours.err)")
        #expect(theirs.status == 0 && theirs.out.contains("from-vars Hello from-vars common.yml"))
        #expect(
            ours.out.replacingOccurrences(of: dir, with: "DIR") == theirs.out.replacingOccurrences(of: dir, with: "DIR")
        )
    }
}
