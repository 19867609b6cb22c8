import CapstanTestSupport
import Foundation
import Testing

/// `capstan play` takes Ansible's short options: `-t` selects tags, `-T` sets the connect timeout.
struct PlayCommandShortOptionsTests {
    @Test func shortTSelectsTagsAndCapitalTSetsTheTimeout() throws {
        let dir = TestScratch.directory + "/capstan-short-options-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let book = """
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: tagged one
                  debug: msg=one
                  tags: [one]
                - name: tagged two
                  debug: msg=two
                  tags: [two]

            """
        try book.write(toFile: "\(dir)/book.yml", atomically: true, encoding: .utf8)
        let run = try CapstanBinary.run([
            "play", "-i", "localhost,", "-t", "one", "-T", "5", "--list-tasks", "\(dir)/book.yml",
        ])
        #expect(run.status == 0, "stderr: \(run.err)")
        #expect(run.out.contains("tagged one"))
        #expect(!run.out.contains("tagged two"))
    }
}
