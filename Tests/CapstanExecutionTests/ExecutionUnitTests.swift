import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanPlaybook
@testable import CapstanTemplating

/// The engine's small policy types, without a lab.
struct ExecutionUnitTests {
    static let hosts = (1...10).map { "h\($0)" }

    @Test(arguments: [
        ([SerialBatch](), [10]),
        ([.count(3)], [3, 3, 3, 1]),
        ([.count(1), .count(4)], [1, 4, 4, 1]),
        ([.percent(30)], [3, 3, 3, 1]),
        ([.percent(5)], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        ([.count(2), .percent(50)], [2, 5, 3]),
        ([.count(0)], [10]),
        // A templated percentage may render to anything: past 100% is every host, below 1 host is 1.
        ([.percent(1e308)], [10]),
        ([.percent(.infinity)], [10]),
        ([.percent(-1e308)], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ])
    func serialBatches(sizes: [SerialBatch], expected: [Int]) throws {
        let batches = try SerialBatcher.batches(Self.hosts, sizes: sizes)
        #expect(batches.map(\.count) == expected)
        #expect(batches.flatMap { $0 } == Self.hosts)
    }

    @Test func notANumberPercentageIsAnError() {
        #expect(throws: SerialBatcher.SerialError.self) {
            try SerialBatcher.batches(Self.hosts, sizes: [.percent(.nan)])
        }
    }

    @Test func loopLookups() throws {
        #expect(try LoopExpander.expand("items", [[1, 2], 3, [[4]]]) == [1, 2, 3, [4]])
        #expect(try LoopExpander.expand("dict", ["a": 1]) == [["key": "a", "value": 1]])
        #expect(try LoopExpander.expand("together", [[1, 2], ["a"]]) == [[1, "a"], [2, nil]])
        #expect(try LoopExpander.expand("indexed_items", ["a", "b"]) == [[0, "a"], [1, "b"]])
        #expect(
            try LoopExpander.expand("nested", [[1, 2], ["x", "y"]]) == [[1, "x"], [1, "y"], [2, "x"], [2, "y"]])
        #expect(try LoopExpander.expand("sequence", "start=0 end=6 stride=3 format=n%02d") == ["n00", "n03", "n06"])
        #expect(try LoopExpander.expand("sequence", "count=2") == ["1", "2"])
        #expect(try LoopExpander.expand("sequence", "2-4") == ["2", "3", "4"])
        let users: Value = [["name": "a", "keys": ["k1", "k2"]]]
        // As Ansible's subelements does, the element handed out no longer holds the list.
        #expect(
            try LoopExpander.expand("subelements", [users, "keys"]) == [[["name": "a"], "k1"], [["name": "a"], "k2"]])
        #expect(throws: LoopExpander.LoopError.self) { try LoopExpander.expand("nope", []) }
    }

    @Test func withFirstFoundSearchesTheFolderTheActionImplies() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-ff-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        for folder in ["templates", "vars", "files"] {
            try FileManager.default.createDirectory(atPath: base + "/" + folder, withIntermediateDirectories: true)
            try "x".write(toFile: "\(base)/\(folder)/\(folder).conf", atomically: true, encoding: .utf8)
        }
        let scope = DictionaryScope(["role_path": .string(base), "playbook_dir": .string("/nonexistent")])
        #expect(LoopExpander.firstFoundSubdir("ansible.builtin.template") == "templates")
        #expect(LoopExpander.firstFoundSubdir("include_vars") == "vars")
        #expect(LoopExpander.firstFoundSubdir("copy") == "files")
        let terms: Value = ["missing.conf", "templates.conf", "vars.conf", "files.conf"]
        #expect(
            try LoopExpander.expand("first_found", terms, scope: scope, action: "template")
                == [.string(base + "/templates/templates.conf")])
        #expect(
            try LoopExpander.expand("first_found", terms, scope: scope, action: "include_vars")
                == [.string(base + "/vars/vars.conf")])
        #expect(
            try LoopExpander.expand("first_found", terms, scope: scope, action: "copy")
                == [.string(base + "/files/files.conf")])
        #expect(throws: LoopExpander.LoopError.self) {
            try LoopExpander.expand("first_found", ["missing.conf"], scope: scope, action: "copy")
        }
    }

    @Test func loopNeedsAList() throws {
        let loop = Loop(lookup: nil, terms: "{{ x }}", location: SourceLocation(file: "t.yml", line: 1, column: 1))
        let expander = LoopExpander(templar: Templar())
        #expect(try expander.items(loop, scope: DictionaryScope(["x": [1, 2]])) == [1, 2])
        #expect(throws: LoopExpander.LoopError.self) { try expander.items(loop, scope: DictionaryScope(["x": 5])) }
    }

    @Test func laterLayersWinAndTemplatesRenderOnLookup() throws {
        let scope = LayeredScope(
            layers: [["a": "low", "b": "{{ a }}-b"], ["a": "high", "c": ["{{ b }}"]]], templar: Templar())
        #expect(try scope.lookup("a") == "high")
        #expect(try scope.lookup("b") == "high-b")
        #expect(try scope.lookup("c") == ["high-b"])
        #expect(try scope.lookup("missing") == nil)
        #expect(try scope.adding(["a": "top"]).lookup("b") == "top-b")
    }

    @Test func recursiveVariablesAreAnErrorNamingTheVariable() throws {
        let scope = LayeredScope(layers: [["x": "{{ y }}", "y": "{{ x }}"]], templar: Templar())
        do {
            _ = try scope.lookup("x")
            Issue.record("no error")
        } catch let error as TemplateError {
            #expect(error.message.contains("Recursive loop detected"))
            #expect(error.message.contains("'x'"))
        }
    }

    @Test func omitRemovesArgumentsAtAnyDepth() {
        let omit = Value.string(VariableManager.omitToken)
        let args: OrderedDictionary<String, Value> = ["a": 1, "b": omit, "c": ["d": omit, "e": 2], "l": [omit, 3]]
        #expect(Omit.removing(args) == ["a": 1, "c": ["e": 2], "l": [3]])
    }

    @Test func extraVarsForms() throws {
        var warnings: [Warning] = []
        #expect(try ExtraVars.parse("a=1 b='x y'", warnings: &warnings) == ["a": "1", "b": "x y"])
        #expect(try ExtraVars.parse(#"{"n": 2, "l": [1]}"#, warnings: &warnings) == ["n": 2, "l": [1]])
        #expect(throws: InputError.self) { try ExtraVars.parse("[1, 2]", warnings: &warnings) }
    }

    @Test func noLogKeepsOnlyTheCensoredMessageAndStatus() {
        let hidden = NoLogRedactor.redact(["stdout": "secret", "changed": true, "failed": true])
        #expect(hidden == ["censored": .string(NoLogRedactor.message), "changed": true, "failed": true])
    }

    @Test func handlersMatchByNameRoleNameAndListenTopic() {
        var h = PlaybookTask(action: "command", location: SourceLocation(file: "h.yml", line: 1, column: 1))
        h.keywords.name = "restart"
        h.listen = ["web changed"]
        #expect(HandlerQueue.matches(h, "restart"))
        #expect(HandlerQueue.matches(h, "web changed"))
        #expect(!HandlerQueue.matches(h, "other"))
    }
}
