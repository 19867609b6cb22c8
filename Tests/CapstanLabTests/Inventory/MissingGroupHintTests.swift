import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanInventory
@testable import CapstanTemplating

/// A misspelt group (`[kube-mastr]` where the playbooks want `kube_control_plane`) is named early, with
/// the groups meant: in the warning for a play's pattern, in the template error on `groups`, and a
/// `--limit` that matches nothing stops the run before its first play, as ansible-playbook does.
@Suite struct MissingGroupHintTests {
    static let inventory = """
        [kube-mastr]
        node-01 ansible_connection=local
        [kube-node]
        node-02 ansible_connection=local

        """

    @Test func closestNamesTreatDashesAndUnderscoresAlike() {
        #expect(Suggestions.distance("kitten", "sitting") == 3)
        #expect(Suggestions.closest(to: ["kube_nodes"], among: ["all", "kube-node", "etcd"]) == ["kube-node"])
        #expect(Suggestions.closest(to: ["webservers"], among: ["kube-node", "etcd"]).isEmpty)
        // Kubespray's older name counts as a spelling of the current one.
        let near = Suggestions.closest(
            to: ["kube_control_plane"] + MissingNameHint.aliases["kube_control_plane"]!,
            among: ["kube-mastr", "kube-node"])
        #expect(near == ["kube-mastr"])
    }

    @Test func aPatternNamingNoGroupWarnsWithTheGroupMeant() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var warnings: [Warning] = []
        let inventory = try Inventory.load(sources: [directory + "/hosts.ini"], warnings: &warnings)
        warnings = []
        #expect(try inventory.hosts(matching: "kube_control_plane", warnings: &warnings).isEmpty)
        #expect(
            warnings.map(\.description) == [
                "Could not match supplied host pattern, ignoring: kube_control_plane (the inventory has no group or host 'kube_control_plane'; did you mean kube-mastr?)"
            ])
        warnings = []
        _ = try inventory.hosts(matching: "webservers", warnings: &warnings)
        #expect(warnings.map(\.description).first?.hasSuffix("its groups: kube-mastr, kube-node)") == true)
        // Globs and regexes are not names a user misspelt.
        warnings = []
        _ = try inventory.hosts(matching: "web*", warnings: &warnings)
        #expect(warnings.map(\.description) == ["Could not match supplied host pattern, ignoring: web*"])
    }

    @Test func aTemplateReachingForAMissingGroupSaysWhichGroupsThereAre() throws {
        let scope = DictionaryScope(["groups": ["all": ["node-01"], "kube-mastr": ["node-01"], "kube-node": []]])
        for source in ["{{ groups.kube_control_plane[0] }}", "{{ groups['kube_control_plane'][0] }}"] {
            let error = #expect(throws: TemplateError.self) { try Templar().render(source, scope: scope) }
            #expect(
                error?.message
                    == "object of type 'dict' has no attribute 'kube_control_plane'; inventory has no group kube_control_plane; did you mean kube-mastr?"
            )
        }
        // `default` still absorbs it.
        #expect(try Templar().render("{{ groups['kube_control_plane'] | default([]) }}", scope: scope) == "[]")
    }

    @Test func aLimitMatchingNoHostStopsBeforeAnyPlay() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try CapstanBinary.run([
            "play", "-i", directory + "/hosts.ini", "--limit", "nosuchhost", directory + "/play.yml",
        ])
        #expect(run.status == 8, "\(run.out)\(run.err)")
        #expect(!run.out.contains("PLAY ["), "\(run.out)")
        #expect(run.err.contains("[WARNING]: Could not match supplied host pattern, ignoring: nosuchhost"))
        #expect(
            run.err.contains(
                "ERROR: Specified inventory, host pattern and/or --limit leaves us with no hosts to target."),
            "\(run.err)")
    }

    @Test func aMisspeltGroupIsNamedAtThePlayAndAtTheTemplate() throws {
        let directory = try Self.project()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try CapstanBinary.run(["play", "-i", directory + "/hosts.ini", directory + "/play.yml"])
        #expect(run.status == 2, "\(run.out)\(run.err)")
        #expect(
            run.err.contains(
                "ignoring: kube_control_plane (the inventory has no group or host 'kube_control_plane'; did you mean kube-mastr?)"
            ), "\(run.err)")
        #expect(run.out.contains("inventory has no group kube_control_plane; did you mean kube-mastr?"), "\(run.out)")
    }

    /// The inventory above and a playbook in the shape of the shipped ones.
    static func project() throws -> String {
        let directory = TestScratch.directory + "/capstan-missing-group-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try inventory.write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
        try """
        - hosts: kube_control_plane
          gather_facts: false
          tasks:
            - debug: msg=hi
        - hosts: all
          gather_facts: false
          tasks:
            - debug:
                msg: "{{ groups.kube_control_plane[0] }}"
        """.write(toFile: directory + "/play.yml", atomically: true, encoding: .utf8)
        return directory
    }
}
