import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Syntax errors name the template line and column of the offending token, and the caller's origin.
@Suite struct TemplateSyntaxErrorTests {
    private func syntaxError(_ source: String, origin: CapstanBasics.SourceLocation? = nil) -> TemplateError? {
        do {
            _ = try Template(source, origin: origin)
            return nil
        } catch let error as TemplateError {
            return error
        } catch {
            return nil
        }
    }

    @Test(arguments: [
        ("{{ 1 + }}", 1, 8, "unexpected end of expression"),
        ("line one\n  {{ [1, 2 }}", 2, 12, "unexpected '}'"),
        ("a\nb\n{% if x %}\nunclosed", 4, 9, "unexpected end of template, expected 'elif' or 'else' or 'endif'"),
        ("{% endif %}", 1, 4, "encountered unknown tag 'endif'"),
        ("{% frobnicate %}", 1, 4, "encountered unknown tag 'frobnicate'"),
        ("x {{ 'open }}", 1, 6, "unexpected end of string"),
        ("{{ n", 1, 1, "unexpected end of template, expected end of print statement"),
        ("{# never closed", 1, 1, "missing end of comment tag"),
        ("{% for x in %}{% endfor %}", 1, 13, "unexpected end of expression"),
        ("{{ a b }}", 1, 6, "expected end of print statement, got 'b'"),
        ("{% raw %} no end", 1, 1, "missing end of raw directive"),
    ])
    func syntaxErrorsCarryPositions(source: String, line: Int, column: Int, message: String) throws {
        let error = try #require(syntaxError(source))
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test func originShiftsByTemplateLine() throws {
        let origin = CapstanBasics.SourceLocation(file: "roles/k8s/templates/kubeadm.yaml.j2", line: 1, column: 1)
        let error = try #require(syntaxError("ok\nok\n{{ ) }}", origin: origin))
        #expect(
            error.location
                == CapstanBasics.SourceLocation(file: "roles/k8s/templates/kubeadm.yaml.j2", line: 3, column: 4))
        #expect(error.description.hasPrefix("roles/k8s/templates/kubeadm.yaml.j2:3:4: unexpected"))
    }

    @Test func originOfATaskArgumentKeepsItsColumnOnLineOne() throws {
        let origin = CapstanBasics.SourceLocation(file: "site.yml", line: 12, column: 14)
        let error = try #require(syntaxError("{{ x | }}", origin: origin))
        #expect(error.location == CapstanBasics.SourceLocation(file: "site.yml", line: 12, column: 21))
    }

    @Test func tokensKnowTheirPositions() throws {
        let tokens = try JinjaLexer.tokenize("ab\n{{ x.y | f(1) }}", options: .ansible)
        #expect(
            tokens.map(\.kind) == [
                .data("ab\n"), .variableBegin, .name("x"), .op("."), .name("y"), .op("|"), .name("f"), .op("("),
                .integer(1), .op(")"), .variableEnd, .end,
            ])
        #expect(tokens[2].line == 2 && tokens[2].column == 4)
        #expect(tokens[10].column == 15)
    }

    @Test func stringLiteralsUsePythonEscapes() throws {
        let tokens = try JinjaLexer.tokenize(#"{{ 'a\tb\x41\u00e9\101\q' "it's" }}"#, options: .ansible)
        #expect(tokens[1].kind == .string("a\tbAéA\\q"))
        #expect(tokens[2].kind == .string("it's"))
    }
}
