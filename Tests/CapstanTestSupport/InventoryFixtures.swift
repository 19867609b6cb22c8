import Foundation

@testable import CapstanBasics
@testable import CapstanInventory

/// Locates the inventory fixtures and their oracle outputs (written by Tests/oracles/inventory-expected.py).
package enum InventoryFixtures {
    package static let root = Fixtures.url("inventory")

    /// A source as the test passes it: host lists stay as they are, paths become absolute.
    package static func source(_ name: String, case caseName: String) -> String {
        let path = root.appendingPathComponent(caseName).appendingPathComponent(name).path
        return name.contains(",") && !FileManager.default.fileExists(atPath: path) ? name : path
    }

    package static func expected(_ file: String) throws -> [Value] {
        let text = try String(contentsOf: root.appendingPathComponent("expected/\(file)"), encoding: .utf8)
        return try Value(jsonText: text).listValue ?? []
    }

    package static func load(_ caseName: String, sources: [String], playbookDir: String? = nil) throws -> Inventory {
        var warnings: [Warning] = []
        var inventory = try Inventory.load(sources: sources.map { source($0, case: caseName) }, warnings: &warnings)
        if let playbookDir {
            try inventory.addPlaybookDirectory(source(playbookDir, case: caseName), warnings: &warnings)
        }
        return inventory
    }
}

/// One oracle record, named for test output.
package struct OracleCase: Sendable, CustomStringConvertible {
    package let name: String
    package let record: Value
    package var description: String { name }

    package init(name: String, record: Value) {
        self.name = name
        self.record = record
    }
}
