import Foundation

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanInventory

/// Locates the inventory fixtures and their oracle outputs (written by Tests/oracles/inventory-expected.py).
enum InventoryFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/inventory")

    /// A source as the test passes it: host lists stay as they are, paths become absolute.
    static func source(_ name: String, case caseName: String) -> String {
        let path = root.appendingPathComponent(caseName).appendingPathComponent(name).path
        return name.contains(",") && !FileManager.default.fileExists(atPath: path) ? name : path
    }

    static func expected(_ file: String) throws -> [Value] {
        let text = try String(contentsOf: root.appendingPathComponent("expected/\(file)"), encoding: .utf8)
        return try Value(jsonText: text).listValue ?? []
    }

    static func load(_ caseName: String, sources: [String], playbookDir: String? = nil) throws -> Inventory {
        var warnings: [Warning] = []
        var inventory = try Inventory.load(sources: sources.map { source($0, case: caseName) }, warnings: &warnings)
        if let playbookDir {
            try inventory.addPlaybookDirectory(source(playbookDir, case: caseName), warnings: &warnings)
        }
        return inventory
    }
}

/// One oracle record, named for test output.
struct OracleCase: Sendable, CustomStringConvertible {
    let name: String
    let record: Value
    var description: String { name }
}
