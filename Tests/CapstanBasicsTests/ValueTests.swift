import Testing

@testable import CapstanBasics

@Suite struct ValueRenderingTests {
    @Test(arguments: [
        (1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1.5e-5, "1.5e-05"),
        (0.0001, "0.0001"), (-2.5, "-2.5"), (123456.789, "123456.789"), (1e-7, "1e-07"), (3.0e100, "3e+100"),
    ])
    func floatReprMatchesPython(value: Double, expected: String) {
        #expect(PythonFloat.repr(value) == expected)
    }

    @Test func containersRenderAsPythonRepr() {
        let v: Value = ["a": [1, "b", nil, true], "it's": 2.5]
        #expect(v.pythonRepr == "{'a': [1, 'b', None, True], \"it's\": 2.5}")
        #expect(Value.string("x").pythonString == "x")
    }

    @Test func jsonRoundTripKeepsOrderAndIntegers() throws {
        let text = #"{"z": 1, "a": [1.5, true, null, "\u00e9\n"], "m": {}}"#
        let v = try Value(jsonText: text)
        #expect(v.json() == text.replacingOccurrences(of: "\\u00e9", with: "\\u00e9"))
        #expect(v["z"] == .int(1))
        #expect(v.json(.nice).hasPrefix("{\n    \"a\": [\n        1.5,"))
    }

    @Test func invalidJSONIsAnError() {
        #expect(throws: JSONValueError.self) { try Value(jsonText: "{\"a\": }") }
    }
}
