import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// `include_vars` on files in a temporary folder laid out as a playbook folder.
struct IncludeVarsActionTests {
    let root: String

    init() throws {
        root = try ActionHarness.tempDir()
        try ActionHarness.write("a: 1\nshared: from-a\n", to: "\(root)/vars/a.yml")
        try ActionHarness.write("{\"b\": [1, 2], \"shared\": \"from-b\"}\n", to: "\(root)/vars/b.json")
        try ActionHarness.write("c: deep\n", to: "\(root)/vars/sub/c.yaml")
        try ActionHarness.write("not vars\n", to: "\(root)/vars/notes.txt")
        try ActionHarness.write("- a list\n", to: "\(root)/list.yml")
        try ActionHarness.write("key: [unclosed\n", to: "\(root)/broken.yml")
        try ActionHarness.write("top: here\n", to: "\(root)/top.yml")
    }

    func run(_ args: OrderedDictionary<String, Value>) async throws -> ControllerActionResult {
        try await ActionHarness.run(
            IncludeVarsAction.self, args, searchPaths: [root], taskFile: "\(root)/play.yml")
    }

    @Test func fileFoundUnderVarsBecomesIncludeVarsLevelVariables() async throws {
        let result = try await run(["file": "a.yml"])
        #expect(result.outcome.status == .ok)
        #expect(result.effects.variables == ["a": 1, "shared": "from-a"])
        #expect(result.effects.facts.isEmpty)
        #expect(result.outcome.fields["ansible_included_var_files"] == .list([.string("\(root)/vars/a.yml")]))
    }

    @Test func freeFormFileNextToThePlaybook() async throws {
        let result = try await run(["_raw_params": "top.yml"])
        #expect(result.effects.variables == ["top": "here"])
    }

    @Test func nameNestsTheVariables() async throws {
        let result = try await run(["file": "a.yml", "name": "bundle"])
        #expect(result.effects.variables == ["bundle": ["a": 1, "shared": "from-a"]])
        #expect(result.outcome.fields["ansible_facts"] == ["bundle": ["a": 1, "shared": "from-a"]])
    }

    @Test func directoryInSortedOrderLaterFilesWin() async throws {
        let result = try await run(["dir": "vars", "ignore_unknown_extensions": true])
        #expect(result.outcome.status == .ok)
        #expect(result.effects.variables == ["a": 1, "shared": "from-b", "b": [1, 2], "c": "deep"])
    }

    @Test func depthOneStaysInTheTopFolder() async throws {
        let result = try await run(["dir": "vars", "depth": 1, "ignore_unknown_extensions": true])
        #expect(result.effects.variables["c"] == nil)
        #expect(result.effects.variables["a"] == 1)
    }

    @Test func filesMatchingAndIgnoreFiles() async throws {
        let matching = try await run(["dir": "vars", "files_matching": "^a\\.", "depth": 1])
        #expect(matching.effects.variables == ["a": 1, "shared": "from-a"])
        let ignoring = try await run(["dir": "vars", "ignore_files": ["b.json", "notes.txt"], "depth": 1])
        #expect(ignoring.effects.variables == ["a": 1, "shared": "from-a"])
    }

    @Test func unknownExtensionFailsLikeAnsible() async throws {
        let result = try await run(["dir": "vars", "depth": 1])
        #expect(result.outcome.status == .failed)
        #expect(
            result.outcome.fields["message"]
                == .string("\(root)/vars/notes.txt does not have a valid extension: json, yaml, yml"))
    }

    @Test func nonMappingFileFails() async throws {
        let result = try await run(["file": "list.yml"])
        #expect(result.outcome.status == .failed)
        #expect(result.outcome.fields["message"] == .string("\(root)/list.yml must be stored as a dictionary/hash"))
    }

    @Test func missingFileAndDirectoryFail() async throws {
        #expect(try await run(["file": "nope.yml"]).outcome.fields["message"] == "Could not find or access 'nope.yml'")
        #expect(
            try await run(["dir": "nope"]).outcome.fields["message"] == .string("\(root)/nope directory does not exist")
        )
    }

    @Test func yamlErrorsKeepTheirLocation() async throws {
        do {
            _ = try await run(["file": "broken.yml"])
            Issue.record("a YAML error was expected")
        } catch {
            #expect("\(error)".contains("broken.yml:"))
        }
    }
}
