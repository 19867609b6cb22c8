import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Rendering template files as the template module does: includes next to the file, errors located in it.
@Suite struct TemplateFileTests {
    let templar = Templar()
    let folder = TemplatingFixtures.root.appendingPathComponent("templates").path

    @Test func renderFileMatchesAnsibleIncludingIncludes() throws {
        let scope = try TemplatingFixtures.scope(adding: nil)
        let text = try templar.renderFile(at: folder + "/include.j2", scope: scope)
        let expected = try Value(jsonText: TemplatingFixtures.text("expected/templates/include.json"))
        #expect(.string(text) == expected["text"])
    }

    @Test func renderFileErrorsNameTheFileAndLine() throws {
        let scope = try TemplatingFixtures.scope(adding: nil)
        do {
            _ = try templar.renderFile(at: folder + "/undefined-error.j2", scope: scope)
            Issue.record("expected an error")
        } catch let error as TemplateError {
            #expect(
                error.location == CapstanBasics.SourceLocation(file: folder + "/undefined-error.j2", line: 2, column: 1)
            )
            #expect(error.message == "'not_defined_anywhere' is undefined")
            #expect(
                error.inputError?.description == "\(folder)/undefined-error.j2:2:1: 'not_defined_anywhere' is undefined"
            )
        }
    }

    @Test func missingFileIsATemplateError() {
        #expect(throws: TemplateError.self) {
            try templar.renderFile(at: folder + "/absent.j2", scope: DictionaryScope())
        }
    }

    @Test func includeWithoutLoaderFails() {
        #expect(throws: TemplateError.self) { try templar.render("{% include 'x' %}", scope: DictionaryScope()) }
    }
}
