import Foundation

/// Where the test fixtures and the package root are, found from this file's own path so that tests
/// run the same from any working directory.
enum Fixtures {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/CapstanEngineTests/Fixtures/<relative>`.
    static func url(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/CapstanEngineTests/Fixtures").appendingPathComponent(relative)
    }

    /// The fixture's bytes as UTF-8 text.
    static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }
}
