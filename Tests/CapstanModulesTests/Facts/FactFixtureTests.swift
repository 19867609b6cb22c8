import CapstanModules
import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// The parser on captured program output, checked against Ansible's facts captured from the same
/// machine at the same time (Tests/oracles/facts-expected.sh): lab node-01 and the build machine.
@Suite struct FactFixtureTests {
    @Test(arguments: ["node-01", "local"])
    func parsedFactsMatchAnsible(machine: String) throws {
        let output = try [UInt8](Data(contentsOf: Fixtures.url("facts/\(machine).out")))
        let ansible = try Value(jsonText: Fixtures.text("facts/\(machine).ansible.json"))
        let facts = FactGatherer().parse(output)
        let differences = AnsibleFactComparison.differences(
            ours: facts.ansibleFacts, ansible: ansible.dictValue ?? [:])
        #expect(differences.isEmpty, "\(machine):\n\(differences.joined(separator: "\n"))")
        #expect(facts.system?.distribution.name == "Debian")
        #expect(facts.hardware?.processor.vcpus ?? 0 >= 1)
    }

    @Test func nodeFixtureHasNoDefaultRouteAndOneAddress() throws {
        let facts = FactGatherer().parse(try [UInt8](Data(contentsOf: Fixtures.url("facts/node-01.out"))))
        #expect(facts.network?.defaultIPv4 == nil)
        #expect(facts.network?.allIPv4Addresses.count == 1)
        #expect(facts.virtualization?.type == "container")
    }
}

/// The committed copy of the fact program, which the captured fixtures came from.
@Suite struct FactProgramExport {
    /// With `CAPSTAN_FACTS_PROGRAM_OUT` set (by Tests/oracles/facts-expected.sh), writes the program
    /// there first; either way the committed copy must equal what the engine sends.
    @Test func committedProgramIsCurrent() throws {
        let program = FactScript.program(for: .all)
        if let path = ProcessInfo.processInfo.environment["CAPSTAN_FACTS_PROGRAM_OUT"] {
            try program.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(
            try Fixtures.text("facts/program.sh") == program,
            "the fact program changed: run Tests/oracles/facts-expected.sh to recapture the fixtures")
    }
}
