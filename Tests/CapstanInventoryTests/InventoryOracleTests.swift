import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// Compares `--list`, `--graph`, `--graph --vars` and `--host` with what ansible-inventory printed.
struct InventoryOracleTests {
    static func cases() throws -> [OracleCase] {
        try InventoryFixtures.expected("cases.json").map {
            OracleCase(name: $0["name"]?.stringValue ?? "?", record: $0)
        }
    }

    static func sources(_ c: OracleCase) -> [String] {
        (c.record["sources"]?.listValue ?? []).compactMap(\.stringValue)
    }

    @Test func corpusIsLargeEnough() throws {
        #expect(try Self.cases().count >= 25)
    }

    @Test(arguments: try InventoryOracleTests.cases())
    func listMatchesAnsible(_ c: OracleCase) throws {
        let inventory = try InventoryFixtures.load(
            c.name, sources: Self.sources(c), playbookDir: c.record["playbookDir"]?.stringValue)
        var warnings: [Warning] = []
        let mine = try inventory.listJSON(warnings: &warnings)
        #expect(mine.json(.nice) == (c.record["list"] ?? .null).json(.nice))
    }

    @Test(arguments: try InventoryOracleTests.cases())
    func limitedListMatchesAnsible(_ c: OracleCase) throws {
        let inventory = try InventoryFixtures.load(
            c.name, sources: Self.sources(c), playbookDir: c.record["playbookDir"]?.stringValue)
        for (limit, expected) in c.record["limited"]?.dictValue ?? [:] {
            var warnings: [Warning] = []
            #expect(
                try inventory.listJSON(limit: limit, warnings: &warnings).json(.nice) == expected.json(.nice),
                "\(limit)")
        }
    }

    @Test(arguments: try InventoryOracleTests.cases())
    func graphMatchesAnsible(_ c: OracleCase) throws {
        let inventory = try InventoryFixtures.load(
            c.name, sources: Self.sources(c), playbookDir: c.record["playbookDir"]?.stringValue)
        for (group, expected) in c.record["graphs"]?.dictValue ?? [:] {
            #expect(try inventory.graph(group: group) == expected.stringValue, "graph \(group)")
        }
        if let expected = c.record["graphVars"]?.stringValue {
            #expect(try inventory.graph(showVariables: true) == expected)
        }
    }

    @Test(arguments: try InventoryOracleTests.cases())
    func hostMatchesAnsible(_ c: OracleCase) throws {
        let inventory = try InventoryFixtures.load(
            c.name, sources: Self.sources(c), playbookDir: c.record["playbookDir"]?.stringValue)
        for (host, expected) in c.record["hosts"]?.dictValue ?? [:] {
            var warnings: [Warning] = []
            #expect(
                try inventory.hostJSON(host, warnings: &warnings).json(.nice) == expected.json(.nice), "host \(host)")
        }
    }
}

/// Compares host pattern results (and their order) with `ansible PATTERN --list-hosts [--limit]`.
struct HostPatternOracleTests {
    static func cases() throws -> [OracleCase] {
        try InventoryFixtures.expected("patterns.json").map {
            let limit = $0["limit"]?.stringValue.map { " -l \($0)" } ?? ""
            return OracleCase(name: "\($0["case"]!.stringValue!): \($0["pattern"]!.stringValue!)\(limit)", record: $0)
        }
    }

    @Test func tableIsLargeEnough() throws {
        #expect(try Self.cases().count >= 30)
    }

    @Test(arguments: try HostPatternOracleTests.cases())
    func patternMatchesAnsible(_ c: OracleCase) throws {
        let caseName = c.record["case"]!.stringValue!
        let oracle = try InventoryFixtures.expected("cases.json").first { $0["name"]?.stringValue == caseName }
        let sources = (oracle?["sources"]?.listValue ?? []).compactMap(\.stringValue)
        let inventory = try InventoryFixtures.load(caseName, sources: sources)
        var limit = c.record["limit"]?.stringValue
        if let l = limit, l.hasPrefix("@") {
            limit =
                "@"
                + InventoryFixtures.root.appendingPathComponent(caseName).appendingPathComponent(String(l.dropFirst()))
                .path
        }
        var warnings: [Warning] = []
        let hosts = try inventory.hosts(matching: c.record["pattern"]!.stringValue!, limit: limit, warnings: &warnings)
        let expected = (c.record["hosts"]?.listValue ?? []).compactMap(\.stringValue)
        #expect(hosts.map(\.name) == expected)
    }
}
