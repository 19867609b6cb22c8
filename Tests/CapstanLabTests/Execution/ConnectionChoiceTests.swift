import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// `connection: local` (play, block, task) and `ansible_connection=local` from extra vars run on the
/// controller even when the inventory's SSH address cannot be reached; the variable beats the keyword
/// (as ansible-playbook 2.19 does: `-i inv -e ansible_connection=local`, `connection: local` with an
/// inventory `ansible_connection=ssh`).
@Suite struct ConnectionChoiceTests {
    /// A scratch folder with an inventory whose one host points at a loopback port nobody listens on.
    struct Scratch {
        let dir: String
        let inventory: String

        init(hostVars: String = "") throws {
            dir = TestScratch.directory + "/capstan-connection-choice-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            inventory = dir + "/hosts.ini"
            let port = try LoopbackSSHD.freshPort()
            try "far ansible_host=127.0.0.1 ansible_port=\(port) \(hostVars)\n".write(
                toFile: inventory, atomically: true, encoding: .utf8)
        }

        /// Runs `book` (its `MARK` replaced by a marker path in the scratch folder) with `extra` arguments.
        func play(_ book: String, _ extra: [String] = []) throws -> (status: Int32, out: String, marker: Bool) {
            let marker = dir + "/ran-here"
            try book.replacingOccurrences(of: "MARK", with: marker).write(
                toFile: dir + "/book.yml", atomically: true, encoding: .utf8)
            let result = try CapstanBinary.run(
                ["play", "-i", inventory, "--no-journal"] + extra + [dir + "/book.yml"])
            return (result.status, result.out + result.err, FileManager.default.fileExists(atPath: marker))
        }

        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    @Test func playKeywordRunsOnTheController() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let run = try scratch.play(
            "- hosts: far\n  connection: local\n  tasks:\n    - command: touch MARK\n")
        #expect(run.status == 0, "\(run.out)")
        #expect(run.marker)
    }

    @Test func extraVarRunsOnTheController() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let run = try scratch.play(
            "- hosts: far\n  gather_facts: false\n  tasks:\n    - command: touch MARK\n",
            ["-e", "ansible_connection=local"])
        #expect(run.status == 0, "\(run.out)")
        #expect(run.marker)
    }

    @Test func extraVarBeatsTheInventory() throws {
        let scratch = try Scratch(hostVars: "ansible_connection=ssh")
        defer { scratch.remove() }
        let run = try scratch.play(
            "- hosts: far\n  gather_facts: false\n  tasks:\n    - command: touch MARK\n",
            ["-e", "ansible_connection=local"])
        #expect(run.status == 0, "\(run.out)")
        #expect(run.marker)
    }

    @Test func taskAndBlockKeywordsRunOnTheController() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let book = """
            - hosts: far
              gather_facts: false
              tasks:
                - command: touch MARK
                  connection: local
                - block:
                    - command: rm MARK
                  connection: local
            """
        let run = try scratch.play(book)
        #expect(run.status == 0, "\(run.out)")
        #expect(!run.marker)
    }

    /// The inventory's `ansible_connection` is a variable, and variables beat the keyword.
    @Test func inventoryVariableBeatsThePlayKeyword() throws {
        let scratch = try Scratch(hostVars: "ansible_connection=ssh")
        defer { scratch.remove() }
        let run = try scratch.play(
            "- hosts: far\n  gather_facts: false\n  connection: local\n  tasks:\n    - command: touch MARK\n")
        #expect(run.status == ExitStatus.hostsUnreachable.rawValue, "\(run.out)")
        #expect(!run.marker)
    }

    @Test func namesOfTheOneSSHImplementationAreOne() {
        #expect(ConnectionChoice.normalized("smart") == "ssh")
        #expect(ConnectionChoice.normalized("ansible.builtin.ssh") == "ssh")
        #expect(ConnectionChoice.normalized("local") == "local")
        #expect(ConnectionChoice.normalized("ansible.builtin.local") == "local")
    }
}
