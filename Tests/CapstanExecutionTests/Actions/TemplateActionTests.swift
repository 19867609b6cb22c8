import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanModules

/// `template` rendering on the controller and writing through a local connection into a temp folder.
struct TemplateActionTests {
    let root: String

    init() throws {
        root = try ActionHarness.tempDir()
        try ActionHarness.write(
            "name={{ name }}\n{% for p in ports %}\n  port={{ p }}\n{% endfor %}\n", to: "\(root)/templates/app.conf.j2"
        )
        try ActionHarness.write("    {% if true %}\nindented\n    {% endif %}\n", to: "\(root)/blocks.j2")
    }

    func run(_ args: OrderedDictionary<String, Value>, check: Bool = false, diff: Bool = false) async throws
        -> ControllerActionResult
    {
        try await ActionHarness.run(
            TemplateAction.self, args, vars: ["name": "web", "ports": [80, 443]], searchPaths: [root],
            checkMode: check, diffMode: diff)
    }

    @Test func rendersWritesAndIsIdempotent() async throws {
        let dest = "\(root)/out/app.conf"
        try FileManager.default.createDirectory(atPath: "\(root)/out", withIntermediateDirectories: true)
        let first = try await run(["src": "app.conf.j2", "dest": .string(dest), "mode": "0640"])
        #expect(first.outcome.status == .changed)
        #expect(try String(contentsOfFile: dest, encoding: .utf8) == "name=web\n  port=80\n  port=443\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: dest)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        let second = try await run(["src": "app.conf.j2", "dest": .string(dest), "mode": "0640"])
        #expect(second.outcome.status == .ok)
    }

    @Test func checkModeChangesNothingAndDiffShowsTheText() async throws {
        let dest = "\(root)/checked.conf"
        let result = try await run(["src": "app.conf.j2", "dest": .string(dest)], check: true, diff: true)
        #expect(result.outcome.status == .changed)
        #expect(!FileManager.default.fileExists(atPath: dest))
        let diff = result.outcome.fields["diff"]
        let after = diff?["after"] ?? diff?.listValue?.first?["after"]
        #expect(after == "name=web\n  port=80\n  port=443\n")
    }

    @Test func lstripBlocksAndNewlineSequence() async throws {
        let dest = "\(root)/blocks.out"
        _ = try await run([
            "src": "blocks.j2", "dest": .string(dest), "lstrip_blocks": true, "newline_sequence": "\\r\\n",
        ])
        #expect(try String(contentsOfFile: dest, encoding: .utf8) == "indented\r\n")
    }

    /// A rendering of 1 MiB or more is streamed from a controller file (as copy's large files are).
    @Test func aLargeRenderingIsWrittenWhole() async throws {
        try ActionHarness.write(
            "{% for i in range(70000) %}line {{ i }} of {{ name }}\n{% endfor %}", to: "\(root)/big.j2")
        let dest = "\(root)/big.out"
        let first = try await run(["src": "big.j2", "dest": .string(dest)])
        #expect(first.outcome.status == .changed)
        let text = try String(contentsOfFile: dest, encoding: .utf8)
        #expect(text.utf8.count >= LocalFile.streamingThreshold)
        #expect(text.hasPrefix("line 0 of web\n") && text.hasSuffix("line 69999 of web\n"))
        #expect(first.outcome.fields["checksum"]?.stringValue == Checksum.sha1Hex(Array(text.utf8)))
        let second = try await run(["src": "big.j2", "dest": .string(dest)])
        #expect(second.outcome.status == .ok)
    }

    @Test func missingTemplateFails() async throws {
        let result = try await run(["src": "nope.j2", "dest": .string("\(root)/x")])
        #expect(result.outcome.status == .failed)
        #expect(result.outcome.fields["msg"] == "Could not find or access 'nope.j2'")
    }

    @Test func unknownArgumentIsRejected() async throws {
        let result = try await run(["src": "app.conf.j2", "dest": .string("\(root)/y"), "bogus": 1])
        #expect(result.outcome.status == .failed)
        #expect(
            result.outcome.fields["msg"]?.stringValue?.hasPrefix(
                "Unsupported parameters for (template) module: bogus. Supported parameters include: ") == true)
    }
}
