import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Errors of `extends`, `block`, `super()`, `filter` and `call`: the corpus (TemplatingCorpusTests) checks
/// that they fail as in Ansible; these check that the messages say what Ansible's say, and that a chain of
/// templates extending each other stops.
@Suite struct TemplateInheritanceTests {
    func outcome(_ name: String) throws -> (ours: String?, theirs: String?) {
        let templar = Templar()
        templar.environment.loader = { try? TemplatingFixtures.text("templates/" + $0) }
        let source = try TemplatingFixtures.text("templates/\(name).j2")
        let expected = try Value(jsonText: TemplatingFixtures.text("expected/templates/\(name).json"))
        do {
            _ = try Template(source, options: TemplatingFixtures.options(forTemplate: name)).render(
                try TemplatingFixtures.scope(adding: nil), environment: templar.environment)
            return (nil, expected["error"]?.stringValue)
        } catch let error as TemplateError {
            return (error.message, expected["error"]?.stringValue)
        }
    }

    @Test(arguments: [
        "super-missing-error", "required-block-error", "extends-twice-error", "block-twice-error",
        "required-block-body-error", "call-not-call-error", "blocks-unscoped-error", "call-plain-error",
    ])
    func messagesAreAnsibles(name: String) throws {
        let (ours, theirs) = try outcome(name)
        let message = try #require(ours)
        #expect(theirs?.hasSuffix(message) == true, "ours: \(message), Ansible's: \(theirs ?? "none")")
    }

    @Test(arguments: ["extends-loop-error", "extends-self-error"])
    func extendingInACircleStops(name: String) throws {
        let (ours, theirs) = try outcome(name)
        #expect(theirs?.contains("Recursive loop") == true)
        #expect(ours?.contains("too many levels of extends") == true, "\(ours ?? "no error")")
    }

    @Test func missingParentIsNamed() throws {
        let (ours, _) = try outcome("extends-missing-error")
        #expect(ours == "template 'no-such-layout.txt' not found")
    }
}
