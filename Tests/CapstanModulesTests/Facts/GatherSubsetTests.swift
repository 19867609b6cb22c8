import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanModules
@testable import CapstanTransport

/// `gather_subset` resolution checked against ansible-core's own `get_collector_names`
/// (Tests/oracles/facts-subsets-expected.py), and the program each subset sends.
@Suite struct GatherSubsetTests {
    struct Case: Decodable {
        let spec: [String]
        let groups: [String]?
        let error: String?
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: Fixtures.url("facts/subset-expected.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    @Test(arguments: cases.indices)
    func matchesAnsible(index: Int) {
        let c = Self.cases[index]
        do {
            let subset = try GatherSubset(c.spec)
            #expect(c.error == nil, "\(c.spec) should be refused")
            #expect(subset.groups.map(\.rawValue) == c.groups, "\(c.spec)")
        } catch let error as GatherSubsetError {
            #expect(c.error.map { error.description.hasPrefix($0) } == true, "\(c.spec): \(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func smallerSubsetsSendSmallerPrograms() throws {
        let all = FactScript.program(for: .all)
        let min = FactScript.program(for: try GatherSubset(["min"]))
        let network = FactScript.program(for: try GatherSubset(["!all", "!min", "network"]))
        #expect(min.count < all.count && network.count < all.count)
        #expect(!min.contains("/proc/cpuinfo") && !min.contains("ip -o"))
        #expect(network.contains("ip -o") && !network.contains("export -p"))
    }

    @Test func minimalFactsLeaveOtherGroupsOut() async throws {
        let facts = try await FactGatherer(subset: try GatherSubset(["min"])).gather(on: LocalConnection())
        #expect(facts.system != nil && facts.hardware == nil && facts.network == nil && facts.virtualization == nil)
        let names = facts.ansibleFacts.keys
        #expect(names.contains("ansible_distribution") && names.contains("ansible_env"))
        #expect(!names.contains("ansible_memtotal_mb") && !names.contains("ansible_interfaces"))
        #expect(facts.ansibleFacts["gather_subset"] == ["min"])
    }
}
