import CapstanBasics
import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanModules

/// `ServiceFactsParser` on the tools' output of each case in Fixtures/files/service-facts-cases.json,
/// tagged as `service-facts.sh` tags it, gives the services ansible-core's own scanners give for the
/// same output (service-facts-expected.json, written by Tests/oracles/service-facts-expected.py).
@Suite struct ServiceFactsOracleTests {
    struct Output: Decodable {
        var rc: Int
        var out: String
    }

    struct Case: Decodable {
        var name: String
        var status_all: Output?
        var initd: Bool
        var units: Output?
        var files: Output?
        var shows: [String: String]
    }

    static func load<T: Decodable>(_ file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: Fixtures.url("files/" + file)))
    }

    /// What the program prints for the case: the same tools' output, tagged; ActiveState for the
    /// unit files list-units did not show (templates left out, as `systemctl show` refuses them).
    static func tagged(_ c: Case) -> String {
        func lines(_ tag: String, _ text: String) -> String {
            var text = text
            while text.hasSuffix("\n") { text.removeLast() }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { "\(tag) \($0)\n" }.joined()
        }
        var out = ""
        if let s = c.status_all {
            if c.initd { out += "R initd 1\n" }
            out += "R service \(s.rc)\n" + lines("S", s.out)
        }
        if let u = c.units { out += "R units \(u.rc)\n" + lines("U", u.out) }
        if let f = c.files {
            out += "R files \(f.rc)\n" + lines("F", f.out)
            var loaded = Set<String>()
            if let u = c.units, u.rc == 0 {
                for l in u.out.split(separator: "\n") where l.contains(".service") {
                    loaded.insert(String(l.split(separator: " ")[0]))
                }
            }
            for l in f.out.split(separator: "\n") where l.contains(".service") {
                let name = String(l.split(separator: " ")[0])
                if !loaded.contains(name), !name.contains("@."), let state = c.shows[name] {
                    out += "A \(name) \(state)\n"
                }
            }
        }
        return out
    }

    @Test func servicesMatchAnsible() throws {
        let cases: [Case] = try Self.load("service-facts-cases.json")
        let expected = try #require(
            try Value(jsonText: String(contentsOf: Fixtures.url("files/service-facts-expected.json"), encoding: .utf8))
                .listValue)
        #expect(cases.count == expected.count)
        #expect(cases.count >= 6)
        for (c, e) in zip(cases, expected) {
            let scan = ServiceFactsParser.parse(Self.tagged(c))
            let got = Value.dict(scan.services.mapValues { .dict($0) })
            #expect(got == e.dictValue?["services"], "\(c.name)")
        }
    }
}
