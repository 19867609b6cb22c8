import Testing

@testable import CapstanBasics
@testable import CapstanTemplating

/// Values that used to trap the process (issue 14): bad group references and bases, negative widths, huge
/// ranges, repetitions and paddings, and integers past 64 bits, each an error or Python's answer instead.
@Suite struct TemplateValueLimitTests {
    let templar = Templar()

    private func value(_ expression: String) throws -> Value {
        try templar.evaluate(expression, scope: DictionaryScope())
    }

    private func message(_ expression: String) -> String? {
        do {
            _ = try templar.render("{{ " + expression + " }}", scope: DictionaryScope())
            return nil
        } catch let error as TemplateError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("'x' | regex_replace('(x)', '\\\\3')", "invalid group reference 3"),
        ("'x' | regex_replace('(x)', '\\\\g<2>')", "invalid group reference 2"),
        ("'x' | regex_replace('(x)', '\\\\g<name>')", "unknown group name 'name'"),
        ("'x' | regex_search('(x)', '\\\\5')", "no such group 5"),
        ("9223372036854775807 + 1", "integer overflow"),
        ("-9223372036854775807 - 2", "integer overflow"),
        ("9223372036854775807 * 2", "integer overflow"),
        ("-(-9223372036854775807 - 1)", "integer overflow"),
        ("(-9223372036854775807 - 1) // -1", "integer overflow"),
        ("(-9223372036854775807 - 1) | abs", "integer overflow"),
        ("2 ** 64", "integer overflow"),
        ("2 ** 9223372036854775807", "integer overflow"),
        ("1e309 | int", "cannot convert float infinity to integer"),
        ("1e30 | int", "integer overflow"),
        ("'99999999999999999999' | int", "integer overflow"),
        ("9223372036854775807 | round(-1)", "integer overflow"),
        ("range(9223372036854775807) | length", "Range too big"),
        ("range(-9223372036854775807 - 1, 9223372036854775807) | length", "Range too big"),
        ("'x' * 9223372036854775807", "too large"),
        ("'xy' * 4611686018427387904", "too large"),
        ("[1] * 9223372036854775807", "too large"),
        ("[1, 2] * 4611686018427387904", "too large"),
        ("['x' * 1000000] * 100", "too large"),
        ("'0'.zfill(4611686018427387904)", "too large"),
        ("'x' | center(9223372036854775807)", "too large"),
        ("'x' | indent(9223372036854775807)", "too large"),
        ("'%9999999999d' % 1", "width too big"),
        ("'{:>9999999999}'.format(1)", "too large"),
        ("'{:.99999f}'.format(1.5)", "precision too big"),
        ("'x' | comment(prefix_count=9223372036854775807)", "too large"),
        ("[1] | batch(9223372036854775807, 0)", "too large"),
        ("[range(1000), range(1000), range(1000)] | first | product(range(1000), range(1000))", "too large"),
        ("{'a': 1} | to_json(indent=9223372036854775807)", "indent too large"),
        ("(['x' * 1000] * 70000) | join", "too large"),
    ])
    func trapsBecomeErrors(expression: String, expected: String) throws {
        let m = try #require(message(expression), "\(expression): expected an error")
        #expect(m.contains(expected), "\(expression): \(m)")
    }

    static let pythonAnswers: [(String, Value)] = [
        ("'10' | int(base=1)", 10),
        ("'10' | int(base=37)", 10),
        ("'0x1f' | int(base=0)", 31),
        ("'0x1f' | int(base=16)", 31),
        ("'ff' | int(base=16)", 255),
        ("'-9223372036854775808' | int", .int(.min)),
        ("'nan' | float | int", 0),
        ("'x' | int", 0),
        ("2.9 | int", 2),
        ("'ab' | indent(-1)", "ab"),
        ("'x' | center(-5)", "x"),
        ("'7'.zfill(-3)", "7"),
        ("'x' * -3", ""),
        ("[1] * -3", []),
        ("3 | round(-400)", 0),
        ("1250 | round(-2)", 1200),
        ("1350 | round(-2)", 1400),
        ("-1350 | round(-2)", -1400),
        ("2.5 | round(1000000000)", 2.5),
        ("123.0 | round(-400)", 0.0),
        ("[1, 2, 3][1::9223372036854775807]", [2]),
        ("[1, 2, 3][::-9223372036854775807]", [3]),
        ("9223372036854775807 % -2", -1),
        ("(-9223372036854775807 - 1) % 3", 1),
        ("1 ** 9223372036854775807", 1),
        ("(-1) ** 9223372036854775807", -1),
        ("(-2) ** 63", .int(.min)),
        ("3 ** 39", 4_052_555_153_018_976_267),
        ("'x' * 3", "xxx"),
        ("9223372036854775806 + 1", .int(.max)),
        ("'x' | comment(prefix_count=-1)", "# x\n#"),
    ]

    @Test(arguments: pythonAnswers)
    func valuesMatchPython(expression: String, expected: Value) throws {
        #expect(try value(expression) == expected, "\(expression)")
    }

    @Test func randomOfAHugeEndIsQuick() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<20 {
                guard case .int(let n) = try value("9223372036854775807 | random") else {
                    Issue.record("expected an int")
                    return
                }
                #expect(n >= 0)
                guard case .int(let m) = try value("9223372036854775807 | random(start=-9223372036854775807, step=5)")
                else {
                    Issue.record("expected an int")
                    return
                }
                #expect((m % 5 + 5) % 5 == (-9_223_372_036_854_775_807 % 5 + 5) % 5)
            }
            _ = try value("9223372036854775807 | random(seed='x')")
            _ = try value("9223372036854775807 | random(start=-9223372036854775807 - 1, seed=1)")
        }
        #expect(elapsed < .seconds(2))
    }

    @Test func renderedOutputIsBounded() throws {
        let source = "{% for i in range(100) %}{{ 'x' * 1000000 }}{% endfor %}"
        #expect { try templar.render(source, scope: DictionaryScope()) } throws: { error in
            (error as? TemplateError)?.message.contains("rendered output too large") ?? false
        }
    }
}
