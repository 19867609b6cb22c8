import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// Role argument specs as ansible-playbook 2.19 applies them: the prepended
/// "Validating arguments against arg spec ..." task, its status, its failure message and the recap
/// must be what ansible-playbook prints for the same fixture role (Fixtures/argument-specs).
struct RoleArgumentSpecOracleTests {
    static let fixture = Fixtures.url("argument-specs").path

    /// What a run shows, without the decoration: banners, per-host statuses, failure messages, recap.
    static func summary(_ out: String) -> [String] {
        out.split(separator: "\n").compactMap { line -> String? in
            if line.hasPrefix("TASK [") { return String(line.prefix { $0 != "]" }) + "]" }
            if line.hasPrefix("fatal: ["), let arrow = line.range(of: " => ") {
                let result = try? Value(jsonText: String(line[arrow.upperBound...]))
                return "fatal: \(result?["msg"]?.stringValue ?? "?")"
            }
            if line.hasPrefix("included: ") { return String(line) }
            for status in ["ok: [", "changed: [", "skipping: ["] where line.hasPrefix(status) {
                return String(line.prefix { $0 != "]" && $0 != " " })
            }
            if line.hasPrefix("localhost ") { return line.split(separator: " ").joined(separator: " ") }
            return nil
        }
    }

    /// Runs ansible-playbook 2.19 from `.build/venv` with `arguments`, without colour or user configuration.
    static func ansiblePlaybook(_ arguments: [String]) throws -> SpawnedProcess.Outcome {
        try AnsiblePlaybook.run(arguments)
    }

    /// Runs `capstan play` and ansible-playbook on `playbook` with `arguments`.
    static func both(_ playbook: String, _ arguments: [String]) throws -> (capstan: [String], ansible: [String]) {
        let common = ["-i", "\(fixture)/hosts.ini"] + arguments + ["\(fixture)/\(playbook)"]
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
        let theirs = try ansiblePlaybook(common)
        #expect(ours.status == theirs.status, "\(arguments): capstan \(ours.out)\(ours.err)")
        return (summary(ours.out), summary(theirs.out))
    }

    @Test(arguments: [
        ("pass", #"{"app_name": "web"}"#),
        ("missing required", "{}"),
        ("wrong type", #"{"app_name": "web", "app_port": "abc"}"#),
        ("bad choice", #"{"app_name": "web", "app_mode": "test"}"#),
        ("list elements", #"{"app_name": "web", "app_ports": [1, "b", 3]}"#),
        ("nested options", #"{"app_name": "web", "app_db": {"size": "big", "extra": 1}}"#),
        ("several at once", #"{"app_port": [1], "app_mode": "test", "app_db": "text"}"#),
        ("converted", #"{"app_name": 7, "app_port": "9090", "app_ports": "1,2"}"#),
    ])
    func roleRunMatchesAnsible(_ scenario: String, _ extraVars: String) throws {
        let (capstan, ansible) = try Self.both("roles.yml", ["-e", extraVars])
        #expect(capstan == ansible, "\(scenario)")
        #expect(capstan.contains { $0.contains("Validating arguments against arg spec 'main'") })
    }

    @Test(arguments: [#"{"app_name": "web", "other_count": 3}"#, #"{"app_name": "web", "other_count": "z"}"#])
    func entryPointsMatchAnsible(_ extraVars: String) throws {
        let (capstan, ansible) = try Self.both("entry-points.yml", ["-e", extraVars])
        #expect(capstan == ansible)
        #expect(capstan.contains { $0.contains("arg spec 'other' - Another entry point") })
    }

    /// A spec in meta/main.yml, `rolespec_validate: false`, an entry point without a spec, and role
    /// parameters the spec does not name.
    @Test(arguments: [
        #"{"meta_count": 2, "app_name": "web"}"#, #"{"app_name": "web"}"#,
        #"{"meta_count": "3", "meta_tags": "b,a", "app_name": "web"}"#, #"{"meta_count": 1, "meta_tags": ["a", "c"]}"#,
    ])
    func otherSourcesMatchAnsible(_ extraVars: String) throws {
        let (capstan, ansible) = try Self.both("other-sources.yml", ["-e", extraVars])
        #expect(capstan == ansible)
    }

    @Test func listTasksMatchesAnsible() throws {
        for playbook in ["roles.yml", "entry-points.yml", "other-sources.yml"] {
            let common = ["-i", "\(Self.fixture)/hosts.ini", "--list-tasks", "\(Self.fixture)/\(playbook)"]
            let ours = try CapstanBinary.run(["play", "--no-journal"] + common)
            let theirs = try Self.ansiblePlaybook(common)
            #expect(ours.out == theirs.out, "\(playbook)")
        }
    }
}
