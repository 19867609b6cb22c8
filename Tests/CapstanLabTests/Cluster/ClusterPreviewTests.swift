import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// What the cluster verbs add around a run, on hosts of this machine with stand-in playbooks: the
/// state folder beside the inventory (whatever the current directory), `cluster plan`, the summary
/// after `cluster up`, `--tags`, and the hint for an unreachable host.
@Suite struct ClusterPreviewTests {
    /// A scratch folder with `inventory/hosts.ini` (the CLI fixture's hosts), `playbooks/cluster.yml`
    /// (`book`) and two working directories `a` and `b`.
    struct Scratch {
        let root = TestScratch.directory + "/capstan-preview-\(UUID().uuidString)"
        var inventory: String { root + "/inventory/hosts.ini" }
        var playbooks: String { root + "/playbooks" }

        init(book: String, inventory extra: String = "") throws {
            for dir in ["/inventory/group_vars", "/playbooks", "/a", "/b"] {
                try FileManager.default.createDirectory(atPath: root + dir, withIntermediateDirectories: true)
            }
            let hosts = try String(contentsOfFile: ClusterCommandTests.inventory, encoding: .utf8)
            try (hosts + extra).write(toFile: inventory, atomically: true, encoding: .utf8)
            try book.write(toFile: playbooks + "/cluster.yml", atomically: true, encoding: .utf8)
        }

        /// `capstan cluster ARGS -i INVENTORY --playbooks-dir PLAYBOOKS`, run in `root/cwd`.
        func cluster(_ arguments: [String], in cwd: String = "a") throws -> SpawnedProcess.Outcome {
            let args =
                [CapstanBinary.path, "cluster"] + arguments + [
                    "-i", inventory, "--playbooks-dir", playbooks, "--no-journal",
                ]
            return try SpawnedProcess.run(
                "/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", root + "/" + cwd] + args)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// A generated secret (Ansible's `password` lookup, as the ML roles make them) and the folder.
    static let secretBook = """
        - hosts: kube-master
          gather_facts: false
          tasks:
            - name: Secret
              ansible.builtin.debug:
                msg: "{{ capstan_artifacts_dir }} {{ lookup('ansible.builtin.password', capstan_artifacts_dir + '/secrets/s chars=ascii_letters length=12') }}"

        """

    /// The secret and folder one run printed.
    static func secret(_ r: SpawnedProcess.Outcome) -> String {
        r.out.split(separator: "\n").first { $0.contains("\"msg\":") }.map(String.init) ?? ""
    }

    @Test func stateLivesBesideTheInventoryWhateverTheCurrentDirectory() throws {
        let s = try Scratch(book: Self.secretBook)
        defer { s.remove() }
        let first = try s.cluster(["up"], in: "a")
        let second = try s.cluster(["up"], in: "b")
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(Self.secret(first).contains("\(s.root)/inventory/artifacts/capstan "), "\(first.out)")
        #expect(!Self.secret(first).isEmpty && Self.secret(first) == Self.secret(second), "\(second.out)")
        #expect(!FileManager.default.fileExists(atPath: s.root + "/a/artifacts"))
        #expect(!FileManager.default.fileExists(atPath: s.root + "/b/artifacts"))
    }

    @Test func inventoryNamesTheStateFolder() throws {
        let s = try Scratch(book: Self.secretBook)
        defer { s.remove() }
        try "capstan_state_dir: \(s.root)/state\ncluster_name: lab1\n".write(
            toFile: s.root + "/inventory/group_vars/all.yml", atomically: true, encoding: .utf8)
        let r = try s.cluster(["up"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(Self.secret(r).contains("\(s.root)/state/lab1 "), "\(r.out)")
        #expect(FileManager.default.fileExists(atPath: s.root + "/state/lab1/secrets/s"))
    }

    /// State an earlier version left under the current directory is used (no new secret) and a
    /// warning names both folders.
    @Test func stateUnderTheCurrentDirectoryIsReportedAndReused() throws {
        let s = try Scratch(book: Self.secretBook)
        defer { s.remove() }
        let old = s.root + "/a/artifacts/capstan"
        try FileManager.default.createDirectory(atPath: old + "/secrets", withIntermediateDirectories: true)
        try "oldsecret\n".write(toFile: old + "/secrets/s", atomically: true, encoding: .utf8)
        let r = try s.cluster(["up"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(Self.secret(r).contains("\(old) oldsecret"), "\(r.out)")
        #expect(r.err.contains("cluster state found in \(old)"), "\(r.err)")
        #expect(r.err.contains("mv \(old) \(s.root)/inventory/artifacts/capstan"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: s.root + "/inventory/artifacts"))
    }

    /// `cluster plan`: check and diff mode; per host the changing tasks (with diffs) and the commands
    /// that would run; reading tasks run; nothing is written.
    @Test func planListsWhatWouldChangeAndChangesNothing() throws {
        let target = TestScratch.directory + "/capstan-plan-\(UUID().uuidString)"
        defer { unlink(target) }
        let s = try Scratch(
            book: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Read something
                      ansible.builtin.command: echo read
                      register: read
                      changed_when: false
                      check_mode: false
                    - name: Write a file
                      ansible.builtin.copy:
                        dest: "\(target)-{{ inventory_hostname }}"
                        content: "{{ read.stdout }} on {{ inventory_hostname }}\\n"
                      when: inventory_hostname != 'w-2'
                    - name: Run a command
                      ansible.builtin.command: touch \(target)-ran
                      when: inventory_hostname == 'cp-1'

                """)
        defer { s.remove() }
        let r = try s.cluster(["plan"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        #expect(r.out.contains("PLAN (check mode: nothing was changed on any host)"), "\(r.out)")
        #expect(r.out.contains("cp-1: 2 to change\n  ~ Write a file\n"), "\(r.out)")
        #expect(r.out.contains("+read on cp-1"), "\(r.out)")
        #expect(r.out.contains("  ~ Run a command (command would run)\n"), "\(r.out)")
        #expect(r.out.contains("w-1: 1 to change\n"), "\(r.out)")
        #expect(r.out.contains("w-2: nothing to change\n"), "\(r.out)")
        #expect(r.out.contains("2 of 3 hosts would change."), "\(r.out)")
        #expect(!r.out.contains("TASK ["))
        for host in ["cp-1", "w-1", "ran"] { #expect(!FileManager.default.fileExists(atPath: "\(target)-\(host)")) }
    }

    @Test func upEndsWithASummary() throws {
        let s = try Scratch(book: Self.secretBook, inventory: "[kube-master:vars]\nip=10.9.0.1\n")
        defer { s.remove() }
        let r = try s.cluster(["up"])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        let summary = String(r.out[(r.out.range(of: "PLAY RECAP")?.upperBound ?? r.out.endIndex)...])
        #expect(summary.contains("CLUSTER capstan is up (3 nodes, "), "\(summary)")
        #expect(summary.contains("  cp-1  control-plane (10.9.0.1)\n  w-1   worker (w-1)\n"), "\(summary)")
        #expect(summary.contains("API server:  https://10.9.0.1:6443\n"))
        #expect(summary.contains("admin.conf:  \(s.root)/inventory/artifacts/capstan/admin.conf\n"))
        #expect(summary.contains("Next:        kubectl --kubeconfig \(s.root)/inventory/artifacts/capstan/admin.conf"))
        let check = try s.cluster(["up", "--check"])
        #expect(check.status == 0 && !check.out.contains("is up ("), "\(check.out)")
    }

    @Test func tagsSelectTasks() throws {
        let s = try Scratch(
            book: """
                - hosts: kube-master
                  gather_facts: false
                  tasks:
                    - name: Tagged
                      ansible.builtin.debug: {msg: tagged}
                      tags: [one]
                    - name: Untagged
                      ansible.builtin.debug: {msg: untagged}

                """)
        defer { s.remove() }
        let only = try s.cluster(["up", "--tags", "one"])
        #expect(only.out.contains("TASK [Tagged]") && !only.out.contains("TASK [Untagged]"), "\(only.out)\(only.err)")
        let skip = try s.cluster(["up", "--skip-tags", "one", "-D"])
        #expect(!skip.out.contains("TASK [Tagged]") && skip.out.contains("TASK [Untagged]"), "\(skip.out)\(skip.err)")
    }

    /// A host that cannot be reached (one removed from the cluster but still in the inventory) gets
    /// a hint: remove it from the inventory or limit it out.
    @Test func unreachableHostGetsAHint() throws {
        let s = try Scratch(
            book: """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.builtin.command: "true"

                """, inventory: "[kube-node:vars]\nansible_connection=ssh\nansible_host=127.0.0.1\nansible_port=1\n")
        defer { s.remove() }
        let r = try s.cluster(["up", "-T", "2"])
        #expect(r.status != 0)
        #expect(
            r.err.contains(
                "HINT: w-1, w-2 could not be reached. If they are no longer part of the cluster (after cluster "
                    + "remove-node, say), remove them from the inventory (\(s.inventory)) or --limit them out: "
                    + "--limit '!w-1,!w-2'"), "\(r.err)")
    }
}
