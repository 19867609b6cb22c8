import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanInventory

/// Inventory inputs that used to crash or exhaust memory (issue 14) now load, or fail with a located
/// error: deep INI literals, huge host ranges, extreme numbers.
struct InventoryLimitsTests {
    /// Loads `text` as an inventory file named `name` in a fresh folder.
    static func load(_ text: String, name: String = "hosts.ini") throws -> Inventory {
        let dir = TestScratch.directory + "/capstan-inv-limits-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        var warnings: [Warning] = []
        return try Inventory.load(sources: ["\(dir)/\(name)"], warnings: &warnings)
    }

    static func error(_ text: String, name: String = "hosts.ini") -> InputError? {
        do {
            _ = try load(text, name: name)
            return nil
        } catch {
            return error as? InputError
        }
    }

    @Test(arguments: [("[", "]"), ("(", ")"), ("{", "}"), ("{'a': [", "]}")])
    func deepLiteralsStayStringsAsInPython(_ open: String, _ close: String) {
        // Python's tokenizer refuses a 201st open bracket, so Ansible keeps the text; so do we.
        let unclosed = String(repeating: open, count: 65_000)
        #expect(PythonLiteral.inventoryValue(unclosed) == .string(unclosed))
        let closed = String(repeating: open, count: 70_000) + String(repeating: close, count: 70_000)
        #expect(PythonLiteral.inventoryValue(closed) == .string(closed))
    }

    @Test func nestingUpToPythonsBoundIsALiteral() {
        let at200 = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(PythonLiteral.inventoryValue(at200).listValue != nil)
        let at201 = "[" + at200 + "]"
        #expect(PythonLiteral.inventoryValue(at201) == .string(at201))
    }

    @Test func aDeeplyNestedHostVariableLoads() throws {
        let value = String(repeating: "[", count: 65_000)
        let inventory = try Self.load("h1 x=\(value)\n")
        #expect(inventory.variables(for: Host(name: "h1"))["x"] == .string(value))
    }

    @Test func aLargeSetLiteralIsQuick() {
        let items = (0..<50_000).map(String.init).joined(separator: ", ")
        let start = Date()
        #expect(PythonLiteral.inventoryValue("{\(items)}").listValue?.count == 50_000)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func aHugeHostRangeIsALocatedError() throws {
        let error = Self.error("[web]\nok1\nnode-[0:99999999999] x=1\n")
        #expect(error?.message.contains("more than 100000 names") == true)
        #expect(error?.location.line == 3)
        #expect(error?.location.column == 6)
    }

    @Test func rangesMultiplyAgainstTheBound() throws {
        #expect(Self.error("n[0:999][0:999]\n")?.message.contains("more than 100000 names") == true)
        #expect(Self.error("n[a:z][a:z][a:z][a:z]\n")?.message.contains("more than 100000 names") == true)
        // Many lines of moderate ranges share one bound for the whole inventory.
        let lines = (0..<20).map { "g\($0)-[0:9999]" }.joined(separator: "\n")
        #expect(Self.error(lines)?.location.line == 11)
    }

    @Test func aHugeRangeInAYAMLInventoryIsALocatedError() throws {
        let error = Self.error("all:\n  hosts:\n    node-[0:99999999999]:\n", name: "hosts.yml")
        #expect(error?.message.contains("more than 100000 names") == true)
        #expect(error?.location.line == 3)
    }

    @Test func extremeRangeBoundsDoNotOverflow() throws {
        #expect(try HostRange.expand("n[-9223372036854775808:9223372036854775807:9223372036854775807]").count == 3)
        #expect(try HostRange.expand("n[0:10:99999999999999999999]") == ["n0"])
        #expect(try HostRange.expand("n[9:0]") == [])
        #expect(try HostRange.expand("n[a:f:2]") == ["na", "nc", "ne"])
        #expect(try HostRange.expand("n[a:Z]").count == 52)
        #expect(throws: HostRange.Failure.self) { try HostRange.expand("n[f:a]") }
        #expect(throws: HostRange.Failure.self) { try HostRange.expand("n[0:9:0]") }
        #expect(try HostRange.expand("n[01:03]x[a:b]") == ["n01xa", "n01xb", "n02xa", "n02xb", "n03xa", "n03xb"])
    }

    @Test(arguments: ["1e999", "-1e999", "1e300", "nan"])
    func anExtremeGroupPriorityDoesNotTrap(_ priority: String) throws {
        let inventory = try Self.load("[g]\nh1\n[g:vars]\nansible_group_priority=\(priority)\n")
        #expect(inventory.group(named: "g") != nil)
        _ = inventory.variables(for: Host(name: "h1"))
    }

    @Test(arguments: ["all[0:9223372036854775807]", "all[9223372036854775807:]", "all[-9223372036854775808]"])
    func extremeSubscriptsDoNotTrap(_ pattern: String) throws {
        let inventory = try Self.load("h1\nh2\n")
        var warnings: [Warning] = []
        _ = try? inventory.hosts(matching: pattern, warnings: &warnings)
    }

    /// `[g0:children]` naming g1, and so on: a chain of `depth` groups below `all`, h1 at the bottom.
    static func groupChain(_ depth: Int) -> String {
        (0..<depth - 1).map { "[g\($0):children]\ng\($0 + 1)\n" }.joined() + "[g\(depth - 1)]\nh1\n"
    }

    @Test func aChainOfGroupsDeeperThanTheBoundIsALocatedError() throws {
        let error = Self.error(Self.groupChain(InventoryGraph.maximumDepth + 5))
        #expect(error?.message.contains("more than 1000 levels deep") == true)
        #expect(error?.location.line != nil)
    }

    @Test func aLongChainOfGroupsListsAndDrawsWithoutRecursion() throws {
        let inventory = try Self.load(Self.groupChain(InventoryGraph.maximumDepth - 1))
        var warnings: [Warning] = []
        let list = try inventory.listJSON(warnings: &warnings)
        #expect(list["g998"]?["hosts"] == .list(["h1"]))
        #expect(list.dictValue?.keys.prefix(3).elementsEqual(["all", "g0", "g1"]) == true)
        #expect(try inventory.graph().hasSuffix("--h1"))
    }
}
