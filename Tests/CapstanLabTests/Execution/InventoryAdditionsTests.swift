import Testing

/// `add_host` and `group_by` change the run's inventory: later plays match the new groups and
/// `groups` / `hostvars` show them.
struct InventoryAdditionsTests {
    @Test func laterPlaysSeeAddedHostsAndGroups() throws {
        let run = try LocalPlay.run(
            """
            - hosts: all
              gather_facts: false
              tasks:
                - group_by:
                    key: "kind_{{ inventory_hostname }}"
                - add_host:
                    name: added1
                    groups: [extra]
                    flavour: mint
                  run_once: true

            - hosts: kind_node2
              gather_facts: false
              tasks:
                - debug:
                    msg: "{{ groups['extra'] }} {{ groups['kind_localhost'] }} {{ hostvars['added1']['flavour'] }}"

            """)
        #expect(run.status == 0, "stderr: \(run.err)")
        #expect(run.out.contains("ok: [node2] => {\n    \"msg\": \"['added1'] ['localhost'] mint\""), "\(run.out)")
        #expect(!run.out.contains("ok: [localhost] => {\n    \"msg\""), "\(run.out)")
    }
}
