import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// `run_once` as ansible-playbook 2.19 runs it (checked with it on this playbook: the failure stops
/// every host of the play, the recap counts it on the host that ran it only, a registered result
/// reaches every host).
@Suite struct RunOnceTests {
    @Test func aRunOnceFailureStopsEveryHostOfThePlay() throws {
        let directory = TestScratch.directory + "/capstan-runonce-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[g]\na ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n"
            .write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
        try """
        - hosts: g
          gather_facts: false
          tasks:
            - name: registered once
              command: "true"
              run_once: true
              register: r
            - name: show
              debug:
                var: r.changed
            - name: stop
              fail:
                msg: boom
              run_once: true
            - name: after
              debug:
                msg: hi
        """.write(toFile: directory + "/play.yml", atomically: true, encoding: .utf8)
        let result = try CapstanBinary.run(
            ["play", "-i", directory + "/hosts.ini", "--output", "json", directory + "/play.yml"])
        #expect(result.status == 2, "\(result.out)\(result.err)")
        let run = PlayHarness.Run(
            status: result.status,
            events: result.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }, out: result.out,
            err: result.err)
        #expect(run.hosts("show").sorted() == ["a", "b", "c"])  // hosts report in the order they finish
        #expect(run.hosts("stop") == ["a"])
        #expect(run.hosts("after").isEmpty, "\(run.out)")
        #expect(run.recap("a")?["failed"] == 1 && run.recap("a")?["changed"] == 1)
        #expect(run.recap("b")?["failed"] ?? 0 == 0 && run.recap("b")?["changed"] ?? 0 == 0)
    }
}
