import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `apt_repository` on lab node 2 (its own apt sources moved aside so that `apt-get update` stays on
/// the node), and its line parsing and file naming against Ansible's own code in the venv.
@Suite(.serialized) struct AptRepositoryModuleTests {
    static let repoLine = "deb [trusted=yes] file:/srv/capstan-aptrepo ./"
    static let repoFile = "/etc/apt/sources.list.d/file_srv_capstan_aptrepo.list"
    static let other = "/etc/apt/sources.list.d/capstan-other.list"

    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(2)
        let script = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/aptrepo/build"), encoding: .utf8)
        let built = try await node.connection.run(
            "bash -s /srv/capstan-aptrepo", options: CommandOptions(stdin: Array(script.utf8)))
        guard built.succeeded else { throw LabNode.CommandFailed(description: "aptrepo/build: \(built.stderrText)") }
        try await node.sh(
            """
            mkdir -p /root/capstan-apt-hidden
            for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do [ -e "$f" ] && mv "$f" /root/capstan-apt-hidden/; done
            true
            """)
        return node
    }

    @Test func presentAppendsToANamedFileOnce() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let args: OrderedDictionary<String, Value> = ["repo": .string(Self.repoLine)]
        let first = try await node.run(AptRepositoryModule.self, args)
        #expect(first.status == .changed)
        #expect(first.fields["sources_added"] == .list([.string(Self.repoFile)]))
        #expect(try await node.sh("cat \(Self.repoFile); stat -c %a \(Self.repoFile)") == Self.repoLine + "\n644")
        #expect(try await node.sh("apt-cache policy capstan-test-hello | awk '/Candidate/ { print $2 }'") == "1.1")
        #expect(
            try await node.run(AptRepositoryModule.self, ["repo": "deb  [trusted=yes]   file:/srv/capstan-aptrepo ./"])
                .status == .ok)
    }

    @Test func commentedOutCopyIsEnabledInPlace() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.write("# sources\n  #deb  \(Self.repoLine.dropFirst(4))   # kept\n", to: Self.other)
        let outcome = try await node.run(
            AptRepositoryModule.self, ["repo": .string(Self.repoLine), "update_cache": false])
        #expect(outcome.status == .changed)
        #expect(outcome.fields["sources_added"] == [])
        #expect(try await node.sh("cat \(Self.other)") == "# sources\n\(Self.repoLine) # kept")
        #expect(try await node.sh("test -e \(Self.repoFile) || echo none") == "none")
    }

    @Test func absentRemovesAndDeletesAnEmptyFile() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.write("\(Self.repoLine)\n", to: Self.other)
        let args: OrderedDictionary<String, Value> = [
            "repo": .string(Self.repoLine), "state": "absent", "update_cache": false,
        ]
        let removed = try await node.run(AptRepositoryModule.self, args)
        #expect(removed.status == .changed)
        #expect(removed.fields["sources_removed"] == .list([.string(Self.other)]))
        #expect(try await node.sh("test -e \(Self.other) || echo gone") == "gone")
        #expect(try await node.run(AptRepositoryModule.self, args).status == .ok)
    }

    @Test func checkModeWritesNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(AptRepositoryModule.self, ["repo": .string(Self.repoLine)], check: true)
        #expect(outcome.status == .changed)
        #expect(try await node.sh("ls /etc/apt/sources.list.d | wc -l") == "0")
    }

    @Test func failedCacheUpdatePutsTheFilesBack() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(
            AptRepositoryModule.self,
            [
                "repo": "deb [trusted=yes] file:/srv/capstan-no-repo ./", "filename": "capstan-bad",
                "update_cache_retries": 1,
            ])
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"]?.stringValue?.hasPrefix("Failed to update apt cache after 1 retries: ") == true)
        #expect(try await node.sh("test -e /etc/apt/sources.list.d/capstan-bad.list || echo reverted") == "reverted")
    }

    /// Lines parsed and files named by Swift and by Ansible's `SourcesList._parse`/`_suggest_filename`.
    @Test func parsingAndNamingMatchAnsible() throws {
        let lines = [
            "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /",
            Self.repoLine, "  #deb  http://u:p@example.invalid/debian bookworm  main # old ",
            "deb-src http://deb.debian.org/debian bookworm main",
            "deb https://download.docker.com/linux/debian bookworm stable",
        ]
        let oracle = """
            import json, sys
            from ansible.modules import apt_repository as m
            class F: pass
            f = F(); f.module = F(); f.module.params = {"filename": None}
            out = []
            for line in sys.argv[1:]:
                valid, enabled, source, comment = m.SourcesList._parse(f, line)
                out.append([valid, enabled, source, comment, m.SourcesList._suggest_filename(f, source)])
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python")
        process.arguments = ["-c", oracle] + lines
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [[Any]])
        for (line, want) in zip(lines, expected) {
            let got = try #require(AptRepositoryModule.parse(line))
            #expect(got.valid == want[0] as? Bool && got.enabled == want[1] as? Bool, "\(line)")
            #expect(got.source == want[2] as? String && got.comment == want[3] as? String, "\(line)")
            #expect(AptRepositoryModule.suggestedName(got.source, filename: nil) == want[4] as? String, "\(line)")
        }
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(AptRepositoryModule.self, ["repo": ""]) == "Please set argument 'repo' to a non-empty value")
        #expect(argumentError(AptRepositoryModule.self, ["repo": "ppa:x/y"]) == "Invalid repository string: ppa:x/y")
        #expect(
            argumentError(AptRepositoryModule.self, ["repo": "# deb http://x/ y z"])
                == "Invalid repository string:  deb http://x/ y z")
    }
}
