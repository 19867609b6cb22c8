import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanInventory

/// Malformed inventories: each must fail with a fixed message at an exact line and column, or warn.
struct InventoryErrorTests {
    static func path(_ name: String) -> String {
        InventoryFixtures.root.appendingPathComponent("errors").appendingPathComponent(name).path
    }

    static func error(loading name: String) -> InputError? {
        var warnings: [Warning] = []
        do {
            _ = try Inventory.load(sources: [path(name)], warnings: &warnings)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            return nil
        }
    }

    struct Expectation: Sendable, CustomStringConvertible {
        let file: String
        let line: Int
        let column: Int
        let message: String
        var description: String { file }
    }

    static let expectations = [
        Expectation(
            file: "bad-range.ini", line: 3, column: 6,
            message: "Invalid host range 'node-[1:]': host range must specify end value"),
        Expectation(
            file: "unequal-range.ini", line: 2, column: 6,
            message: "Invalid host range 'node-[01:100]': host range must specify equal-length begin and end formats"),
        Expectation(
            file: "unknown-section.ini", line: 4, column: 4,
            message: "Section [g:foo] has unknown type: foo; expected hosts, children or vars"),
        Expectation(
            file: "unbalanced-quote.ini", line: 2, column: 26,
            message: "Error parsing host definition 'h1 ansible_user=root msg='unclosed value': No closing quotation; "
                + "expected a matching quote"),
        Expectation(
            file: "cycle.ini", line: 8, column: 1,
            message: "Adding group 'a' as child to 'c' creates a recursive dependency loop."),
        Expectation(
            file: "undefined-child.ini", line: 2, column: 1,
            message: "Section [p:children] includes undefined group 'missing'; expected a group declared with "
                + "[missing] or [missing:children]"),
        Expectation(
            file: "not-key-value.ini", line: 2, column: 4,
            message: "Expected key=value host variable assignment, got: novalue"),
        Expectation(file: "vars-no-equals.ini", line: 4, column: 1, message: "Expected key=value, got: justaword"),
        Expectation(
            file: "syntax.yml", line: 4, column: 11,
            message: "YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping started at "
                + "line 3, column 9)"),
    ]

    @Test(arguments: InventoryErrorTests.expectations)
    func malformedInventoryFailsAtTheRightPlace(_ e: Expectation) throws {
        let error = try #require(Self.error(loading: e.file))
        #expect(error.message == e.message)
        #expect(error.location == SourceLocation(file: Self.path(e.file), line: e.line, column: e.column))
    }

    @Test func duplicateYAMLKeyWarnsAndKeepsTheLastValue() throws {
        var warnings: [Warning] = []
        let inventory = try Inventory.load(sources: [Self.path("duplicate-key.yml")], warnings: &warnings)
        #expect(inventory.variables(for: Host(name: "h1"))["port"] == 2)
        #expect(warnings.map(\.message) == ["Found duplicate mapping key 'port'. Using last defined value only."])
        #expect(warnings.first?.location == SourceLocation(file: Self.path("duplicate-key.yml"), line: 5, column: 7))
    }

    @Test func hostAndGroupWithTheSameNameWarn() throws {
        var warnings: [Warning] = []
        _ = try Inventory.load(sources: [Self.path("host-group-same-name.ini")], warnings: &warnings)
        #expect(warnings.map(\.message) == ["Found both group and host with same name: web"])
    }

    @Test func secondLocalhostLikeHostWarns() throws {
        var warnings: [Warning] = []
        _ = try Inventory.load(sources: [Self.path("duplicate-localhost.ini")], warnings: &warnings)
        #expect(
            warnings.map(\.message) == [
                "A duplicate localhost-like entry was found (127.0.0.1). First found localhost was localhost"
            ])
    }

    @Test func hyphenatedGroupsLoadWithAWarning() throws {
        var warnings: [Warning] = []
        let inventory = try InventoryFixtures.load("seed", sources: ["hosts.ini"])
        _ = try Inventory.load(sources: [InventoryFixtures.source("hosts.ini", case: "seed")], warnings: &warnings)
        #expect(inventory.group(named: "kube-master")?.hosts == ["localnode-1"])
        #expect(warnings.count == 3)
        #expect(warnings.first?.message.contains("\"kube-master\" contains '-'") == true)
        #expect(warnings.first?.location?.line == 2)
    }

    @Test func missingSourceIsAnInputError() {
        #expect(Self.error(loading: "does-not-exist.ini")?.message.hasPrefix("inventory source does not exist") == true)
    }

    @Test func subscriptOutOfRangeIsAnError() throws {
        let inventory = try InventoryFixtures.load("seed", sources: ["hosts.ini"])
        var warnings: [Warning] = []
        #expect(throws: InventoryError.self) { try inventory.hosts(matching: "kube-node[5]", warnings: &warnings) }
    }
}
