import CapstanTestSupport
import Testing

@testable import CapstanInventory

/// INI values typed as ansible-core's INI plugin types them (Tests/oracles/ini-values-expected.py).
struct INIValueTests {
    static func cases() throws -> [OracleCase] {
        try InventoryFixtures.expected("ini-values.json").map {
            OracleCase(name: $0["text"]?.stringValue ?? "", record: $0)
        }
    }

    @Test(arguments: try INIValueTests.cases())
    func typedLikeAnsible(_ c: OracleCase) {
        let mine = PythonLiteral.inventoryValue(c.name)
        #expect(mine.json() == (c.record["value"] ?? .null).json())
    }
}
