import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// Splitting the program's output, the variables facts become, and `setup`'s filter.
@Suite struct FactOutputTests {
    @Test func sectionsFilesAndAWickedEnvironment() {
        let text =
            "==root==\n/fake\n==uname==\nx86_64\n==files==\n/fake/proc/uptime\u{0}12.5 3.0\n"
            + "/fake/proc/meminfo\u{0}MemTotal: 1024 kB\n/fake/proc/meminfo\u{0}MemFree: 512 kB\n==env==\n"
            + "export A='two\n==files==\nlines'\nexport B='it'\"'\"'s'\nexport DECLARED\n"
        let output = FactOutput(Array(text.utf8))
        #expect(output.lines("uname") == ["x86_64"])
        #expect(output.file("/proc/uptime") == "12.5 3.0")
        #expect(output.file("/proc/meminfo") == "MemTotal: 1024 kB\nMemFree: 512 kB")
        #expect(output.environment.map(\.name) == ["A", "B"])
        #expect(output.environment.map(\.value) == ["two\n==files==\nlines", "it's"])
        #expect(output.has("uname") && !output.has("ip"))
    }

    @Test func variablesHoldBothForms() throws {
        let facts = FactGatherer(subset: try GatherSubset(["min"])).parse(Array("==root==\n\n==env==\n".utf8))
        let variables = facts.variables
        #expect(variables["ansible_selinux"] == ["status": "disabled"])
        #expect(variables["ansible_facts"]?["selinux"] == ["status": "disabled"])
        #expect(variables["ansible_facts"]?["ansible_selinux"] == nil)
        #expect(variables["ansible_facts"]?["gather_subset"] == ["min"])
    }

    @Test func setupFilterMatchesWithAndWithoutPrefix() {
        let facts: OrderedDictionary<String, Value> = [
            "ansible_eth0": 1, "ansible_eth1": 2, "ansible_lo": 3, "ansible_hostname": 4, "capstan_gpus": 5,
        ]
        #expect(Array(SetupModule.filter(facts, ["eth*"]).keys) == ["ansible_eth0", "ansible_eth1"])
        #expect(Array(SetupModule.filter(facts, ["ansible_lo", "capstan_*"]).keys) == ["ansible_lo", "capstan_gpus"])
        #expect(SetupModule.filter(facts, []).count == 5)
        #expect(SetupModule.filter(facts, ["*"]).count == 5)
        #expect(SetupModule.filter(facts, ["nothing"]).isEmpty)
    }
}
