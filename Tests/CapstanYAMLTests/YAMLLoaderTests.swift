import Testing

@testable import CapstanBasics
@testable import CapstanYAML

/// Positions, warnings and errors of the YAML loader (the values themselves are checked against
/// PyYAML in YAMLGoldenTests).
struct YAMLLoaderTests {
    @Test func nodesKeepTheirLineAndColumn() throws {
        let text = "a: 1\nlist:\n  - x\n  - {k: v}\n"
        let doc = try #require(try YAMLLoader.documents(text: text, file: "f.yml").first)
        let pairs = try #require(doc.pairs)
        #expect(pairs[0].key.location == SourceLocation(file: "f.yml", line: 1, column: 1))
        #expect(pairs[0].value.location == SourceLocation(file: "f.yml", line: 1, column: 4))
        let items = try #require(pairs[1].value.items)
        #expect(items[0].location == SourceLocation(file: "f.yml", line: 3, column: 5))
        #expect(items[1].pairs?[0].value.location == SourceLocation(file: "f.yml", line: 4, column: 9))
    }

    @Test func duplicateKeysWarnAtTheSecondKeyAndKeepTheLastValue() throws {
        var warnings: [Warning] = []
        let value = try YAMLLoader.value(text: "a: 1\nb: 2\na: 3\n", file: "d.yml", warnings: &warnings)
        #expect(value == ["a": 3, "b": 2])
        #expect(value.dictValue?.keys.elementsEqual(["a", "b"]) == true)
        #expect(
            warnings == [
                Warning(
                    "Found duplicate mapping key 'a'. Using last defined value only.",
                    at: SourceLocation(file: "d.yml", line: 3, column: 1))
            ])
    }

    @Test func equalKeysOfDifferentSpellingAreDuplicates() throws {
        var warnings: [Warning] = []
        let value = try YAMLLoader.value(text: "1: a\ntrue: b\n", file: "k.yml", warnings: &warnings)
        #expect(value == ["1": "b"])
        #expect(warnings.count == 1)
    }

    @Test func syntaxErrorsPointAtTheProblem() {
        var warnings: [Warning] = []
        #expect {
            try YAMLLoader.values(text: "ok: 1\n---\nbad: [1, 2\nnext: 3\n", file: "s.yml", warnings: &warnings)
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.location.line == 4 && e.message.hasPrefix("YAML syntax error: did not find expected ',' or ']'")
        }
    }

    @Test func aliasToAnUnknownAnchorIsAnError() {
        var warnings: [Warning] = []
        #expect {
            try YAMLLoader.values(text: "a: 1\nb: *missing\n", file: "u.yml", warnings: &warnings)
        } throws: { error in
            (error as? InputError)?.location == SourceLocation(file: "u.yml", line: 2, column: 4)
        }
    }

    @Test func aSecondDocumentIsAnErrorForSingleDocumentLoads() {
        var warnings: [Warning] = []
        #expect(throws: InputError.self) {
            try YAMLLoader.value(text: "a: 1\n---\nb: 2\n", file: "m.yml", warnings: &warnings)
        }
    }

    @Test func ansibleTagsAreStrings() throws {
        var warnings: [Warning] = []
        let value = try YAMLLoader.value(
            text: "a: !unsafe '{{ x }}'\nb: !unsafe 12\n", file: "t.yml", warnings: &warnings)
        #expect(value == ["a": "{{ x }}", "b": "12"])
    }

    @Test func emptyStreamHasNoDocuments() throws {
        var warnings: [Warning] = []
        #expect(try YAMLLoader.values(text: "", file: "e.yml", warnings: &warnings).isEmpty)
        #expect(try YAMLLoader.value(text: "# only a comment\n", file: "e.yml", warnings: &warnings) == .null)
    }
}
