import Testing

/// A failing `command` did run, so when `failed_when` clears its failure Ansible reports it `changed`.
struct FailedWhenChangedTests {
    @Test func aClearedCommandFailureKeepsChanged() throws {
        let run = try LocalPlay.run(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: exit 3, not a failure
                  command: /bin/sh -c 'exit 3'
                  failed_when: false

            """)
        #expect(run.status == 0, "stderr: \(run.err)")
        #expect(run.out.contains("changed: [localhost]"), "\(run.out)")
        #expect(run.out.contains("changed=1"), "\(run.out)")
    }

    @Test func aFailingCommandReportsChanged() throws {
        let run = try LocalPlay.run(
            """
            - hosts: localhost
              gather_facts: false
              tasks:
                - command: /bin/sh -c 'exit 3'

            """)
        #expect(run.status != 0)
        #expect(run.out.contains("\"changed\": true"), "\(run.out)")
    }
}
