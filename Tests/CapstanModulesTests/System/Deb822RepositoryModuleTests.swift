import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `deb822_repository` run with a local shell, its `/etc/apt` placed under a temporary folder.
@Suite struct Deb822RepositoryModuleTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-deb822-\(UUID().uuidString)").path

    func run(
        _ raw: OrderedDictionary<String, Value>, check: Bool = false, diff: Bool = false
    ) async throws -> ModuleOutcome {
        var module = try Deb822RepositoryModule(
            arguments: ModuleArguments(raw, spec: Deb822RepositoryModule.spec, module: Deb822RepositoryModule.name))
        module.root = root
        let context = ModuleContext(host: "h", connection: LocalConnection(), checkMode: check, diffMode: diff)
        return try await module.run(in: context)
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: root + path, encoding: .utf8) }

    @Test func writesOnceThenOkAndRemoves() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let args: OrderedDictionary<String, Value> = [
            "name": "Kubernetes Repo_1", "types": ["deb"], "uris": ["https://pkgs.k8s.io/core:/stable:/v1.31/deb/"],
            "suites": ["/"], "signed_by": "/etc/apt/keyrings/kubernetes-apt-keyring.gpg", "enabled": true,
            "architectures": ["amd64", "arm64"],
        ]
        let file = "/etc/apt/sources.list.d/kubernetes-repo-1.sources"
        let predicted = try await run(args, check: true)
        #expect(predicted.status == .changed)
        #expect(read(file) == nil)

        let first = try await run(args, diff: true)
        #expect(first.status == .changed, "\(first.fields)")
        // Fields in the order of Ansible's sorted argument names (`name` between `languages` and `pdiffs`).
        let expected = """
            Architectures: amd64 arm64
            Enabled: yes
            X-Repolib-Name: Kubernetes Repo_1
            Signed-By: /etc/apt/keyrings/kubernetes-apt-keyring.gpg
            Suites: /
            Types: deb
            URIs: https://pkgs.k8s.io/core:/stable:/v1.31/deb/

            """
        #expect(read(file) == expected)
        #expect(first.fields["repo"] == .string(expected))
        #expect(first.fields["dest"] == .string(root + file))
        #expect(first.fields["key_filename"] == .null)
        #expect(first.fields["diff"]?.dictValue?["after"] == .string(expected))
        let mode = try FileManager.default.attributesOfItem(atPath: root + file)[.posixPermissions] as? Int
        #expect(mode == 0o644)

        #expect(try await run(args).status == .ok)

        var absent = args
        absent["state"] = "absent"
        #expect(try await run(absent, check: true).status == .changed)
        #expect(read(file) != nil)
        let removed = try await run(absent)
        #expect(removed.status == .changed)
        #expect(removed.fields["repo"] == .null)
        #expect(read(file) == nil)
        #expect(try await run(absent).status == .ok)
    }

    @Test func inlineKeyIsIndentedWithDotsForBlankLines() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGP\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n"
        let args: OrderedDictionary<String, Value> = [
            "name": "x", "uris": ["http://deb.example.invalid/"], "suites": ["stable"], "components": ["main"],
            "signed_by": .string(key), "mode": "0600",
        ]
        let first = try await run(args)
        #expect(first.status == .changed)
        let text = read("/etc/apt/sources.list.d/x.sources") ?? ""
        #expect(
            text.contains(
                "Signed-By:\n    -----BEGIN PGP PUBLIC KEY BLOCK-----\n    .\n    mQINBGP\n    =abcd\n"
                    + "    -----END PGP PUBLIC KEY BLOCK-----\nSuites: stable\n"))
        #expect(text.hasPrefix("Components: main\nX-Repolib-Name: x\nSigned-By:"))
        #expect(try await run(args).status == .ok)
    }

    /// A `signed_by` URL (here `file://`, which curl fetches without a network) is downloaded to
    /// `/etc/apt/keyrings/<slug>.asc` for an armoured key, and the Signed-By field names that file.
    @Test func keyURLIsDownloadedToTheKeyrings() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGP\n-----END PGP PUBLIC KEY BLOCK-----\n"
        try key.write(toFile: root + "/served.asc", atomically: true, encoding: .utf8)
        let args: OrderedDictionary<String, Value> = [
            "name": "k8s", "uris": ["https://pkgs.k8s.io/core:/stable:/v1.31/deb/"], "suites": ["/"],
            "signed_by": .string("file://\(root)/served.asc"),
        ]
        let first = try await run(args)
        #expect(first.status == .changed, "\(first.fields)")
        let keyFile = root + "/etc/apt/keyrings/k8s.asc"
        #expect(first.fields["key_filename"] == .string(keyFile))
        #expect(read("/etc/apt/keyrings/k8s.asc") == key)
        #expect(read("/etc/apt/sources.list.d/k8s.sources")?.contains("Signed-By: \(keyFile)\n") == true)
        #expect(try await run(args).status == .ok)
        try (key + "\n").write(toFile: root + "/served.asc", atomically: true, encoding: .utf8)
        #expect(try await run(args).status == .changed)
    }

    @Test func badTypeIsAnArgumentError() {
        #expect(throws: ModuleArgumentError.self) {
            try Deb822RepositoryModule(
                arguments: ModuleArguments(
                    ["name": "x", "types": ["rpm"]], spec: Deb822RepositoryModule.spec,
                    module: Deb822RepositoryModule.name))
        }
    }
}
