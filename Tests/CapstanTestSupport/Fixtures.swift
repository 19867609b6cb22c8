import Foundation

/// Where the test fixtures and the package root are, found from this file's own path so that tests
/// run the same from any working directory.
package enum Fixtures {
    /// The package root (the folder holding Package.swift).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<relative>`.
    package static func url(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// An oracle corpus: the hand-written cases and what the oracle wrote for each, in step (both
    /// JSON arrays under `Tests/Fixtures/`).
    package static func casePairs<Case: Decodable, Expected: Decodable>(_ cases: String, _ expected: String)
        -> [(Case, Expected)]
    {
        let decoder = JSONDecoder()
        let given = try! decoder.decode([Case].self, from: Data(contentsOf: url(cases)))
        let answers = try! decoder.decode([Expected].self, from: Data(contentsOf: url(expected)))
        return Array(zip(given, answers))
    }

    /// The fixture's bytes as UTF-8 text.
    package static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }
}
