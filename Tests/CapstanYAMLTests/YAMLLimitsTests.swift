import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanYAML

/// Alias bombs and alias-built nesting end in a located error, not in gigabytes or a stack overflow
/// (issue 14); ordinary anchors and merge keys still load.
struct YAMLLimitsTests {
    /// `levels` anchored lists, each of `width` aliases to the one before.
    static func bomb(width: Int, levels: Int) -> String {
        var lines = ["l0: &l0 [lol]"]
        for level in 1...levels {
            let refs = Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ")
            lines.append("l\(level): &l\(level) [\(refs)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func load(_ text: String) throws -> Value {
        var warnings: [Warning] = []
        return try YAMLLoader.value(text: text, file: "bomb.yml", warnings: &warnings)
    }

    @Test func billionLaughsIsRefusedAtTheAliasThatGoesOver() throws {
        let error = #expect(throws: InputError.self) { try Self.load(Self.bomb(width: 10, levels: 9)) }
        #expect(error?.message.contains("more than 250000 nodes") == true)
        // Up to l5 the aliases stand for 234,560 nodes; the first alias of l5 on l6's line passes the bound.
        #expect(error?.location.file == "bomb.yml")
        #expect(error?.location.line == 7)
    }

    @Test func aliasesUnderTheBoundStillExpand() throws {
        let value = try Self.load(Self.bomb(width: 10, levels: 4))
        guard case .list(let top) = value["l4"] else {
            Issue.record("l4 is not a list")
            return
        }
        #expect(top.count == 10)
        #expect(value["l4"]?.json().components(separatedBy: "lol").count == 10_001)
    }

    @Test func aliasesCannotNestDeeperThanTheParserAllows() throws {
        // Each line nests the previous anchor ten levels deeper: line 101 would reach 1002 levels.
        var lines = ["a0: &a0 [x]"]
        for i in 1...120 {
            lines.append(
                "a\(i): &a\(i) " + String(repeating: "[", count: 10) + "*a\(i - 1)" + String(repeating: "]", count: 10))
        }
        let error = #expect(throws: InputError.self) { try Self.load(lines.joined(separator: "\n")) }
        #expect(error?.message.contains("deeper than 1000 levels") == true)
        #expect(error?.location.line == 101)
    }

    @Test func writtenNestingIsBoundedByTheParser() throws {
        let deep = "x: " + String(repeating: "[", count: 70_000) + String(repeating: "]", count: 70_000)
        #expect(throws: InputError.self) { try Self.load(deep) }
    }

    @Test func mergeKeysAndRepeatedAnchorsStillWork() throws {
        let text = """
            base: &base {a: 1, b: [1, 2]}
            one: {<<: *base, c: 3}
            two: [*base, *base]
            """
        let value = try Self.load(text)
        #expect(value["one"]?.json() == #"{"a": 1, "b": [1, 2], "c": 3}"#)
        #expect(value["two"]?.listValue?.count == 2)
    }
}

/// Scalars at the edges of their types are read or refused, never trapped on (issue 14).
struct YAMLExtremeScalarTests {
    @Test func aBase60IntegerPastIntsRangeIsAnError() throws {
        var warnings: [Warning] = []
        let text = "x: 1:00:00:00:00:00:00:00:00:00:00:00\n"
        let error = #expect(throws: InputError.self) {
            try YAMLLoader.value(text: text, file: "b.yml", warnings: &warnings)
        }
        #expect(error?.message.contains("as an integer") == true)
        #expect(try YAMLLoader.value(text: "x: 1:30:00\n", file: "b.yml", warnings: &warnings)["x"] == .int(5400))
    }
}
