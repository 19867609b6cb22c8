import Collections
import Testing

@testable import CapstanExecution
@testable import CapstanInventory

/// `add_host` and `group_by` describe inventory additions in their results, as Ansible's do.
struct InventoryActionTests {
    @Test func addHostWithGroupsPortAndVariables() async throws {
        let result = try await ActionHarness.run(
            AddHostAction.self, ["name": "web9:2222", "groups": "web, new ,web", "role": "edge"])
        #expect(result.outcome.status == .changed)
        #expect(
            InventoryAddition.from(result.outcome.fields)
                == .host(name: "web9", groups: ["web", "new"], vars: ["role": "edge", "ansible_ssh_port": 2222]))
    }

    @Test func addHostAcceptsHostnameAndGroupList() async throws {
        let result = try await ActionHarness.run(AddHostAction.self, ["hostname": "db1", "groupname": ["db"]])
        #expect(InventoryAddition.from(result.outcome.fields) == .host(name: "db1", groups: ["db"], vars: [:]))
    }

    @Test func addHostNeedsAName() async throws {
        let result = try await ActionHarness.run(AddHostAction.self, ["groups": "x"])
        #expect(result.outcome.status == .failed)
        #expect(result.outcome.fields["msg"] == "name, host or hostname needs to be provided")
    }

    @Test func groupByReplacesSpacesAndDefaultsParentToAll() async throws {
        let result = try await ActionHarness.run(GroupByAction.self, ["key": "os Debian 12"])
        #expect(InventoryAddition.from(result.outcome.fields) == .group(name: "os-Debian-12", parents: ["all"]))
        let nested = try await ActionHarness.run(GroupByAction.self, ["key": "k", "parents": "linux hosts"])
        #expect(InventoryAddition.from(nested.outcome.fields) == .group(name: "k", parents: ["linux-hosts"]))
    }

    @Test func groupByNeedsAKey() async throws {
        let result = try await ActionHarness.run(GroupByAction.self, [:])
        #expect(result.outcome.fields["msg"] == "the 'key' param is required when using group_by")
    }

    @Test func splitPortForms() {
        #expect(AddHostAction.splitPort("h") == ("h", nil))
        #expect(AddHostAction.splitPort("[::1]:22") == ("::1", 22))
        #expect(AddHostAction.splitPort("fe80::1") == ("fe80::1", nil))
    }
}
