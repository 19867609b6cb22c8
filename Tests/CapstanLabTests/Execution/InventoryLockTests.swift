import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanExecution

/// One changing run per inventory: the lock itself, then two `capstan play` processes on one inventory.
@Suite(.serialized) struct InventoryLockTests {
    static func scratch() throws -> String {
        let directory = TestScratch.directory + "/capstan-lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func secondHolderIsRefusedUntilTheFirstReleases() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var warnings: [Warning] = []
        let first = try #require(
            try InventoryLock.acquire(
                sources: ["inv.ini"], command: "play a.yml", directory: directory, warnings: &warnings))
        do {
            _ = try InventoryLock.acquire(
                sources: ["inv.ini"], command: "play b.yml", directory: directory, warnings: &warnings)
            Issue.record("a second run got the lock")
        } catch let locked as InventoryLocked {
            #expect(locked.holder.contains("pid \(getpid())") && locked.holder.contains("play a.yml"))
            #expect(locked.description.contains("--no-lock"))
        }
        // Another inventory has its own lock.
        #expect(
            try InventoryLock.acquire(sources: ["other.ini"], command: "x", directory: directory, warnings: &warnings)
                != nil)
        first.release()
        #expect(
            try InventoryLock.acquire(sources: ["inv.ini"], command: "c", directory: directory, warnings: &warnings)
                != nil)
        #expect(warnings.isEmpty)
    }

    /// Two processes on one inventory: the second is refused with 75 and says who holds the lock; a
    /// `--check` run and `--no-lock` run; SIGINT ends the first with 130 and kills its command.
    @Test func secondRunOnTheSameInventoryWaitsItsTurn() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let inventory = directory + "/hosts.ini"
        let marker = "sleep 41.\(Int.random(in: 100_000...999_999))"
        try "localhost ansible_connection=local\n".write(toFile: inventory, atomically: true, encoding: .utf8)
        try """
        - hosts: localhost
          gather_facts: false
          tasks:
            - command: \(marker)
        """.write(toFile: directory + "/slow.yml", atomically: true, encoding: .utf8)
        try """
        - hosts: localhost
          gather_facts: false
          tasks:
            - command: "true"
        """.write(toFile: directory + "/quick.yml", atomically: true, encoding: .utf8)
        let environment = ["CAPSTAN_PERSIST_DIR": directory + "/run"]
        let first = try BackgroundCapstan(["play", "-i", inventory, directory + "/slow.yml"], environment: environment)
        defer { first.kill() }
        let started = Date().addingTimeInterval(20)
        while try !SSHCancellationTests.running(marker), Date() < started { usleep(50_000) }
        let second = try CapstanBinary.run(
            ["play", "-i", inventory, directory + "/quick.yml"], environment: environment)
        #expect(second.status == 75, "\(second.out)\(second.err)")
        #expect(second.err.contains("another capstan run") && second.err.contains("slow.yml"), "\(second.err)")
        let check = try CapstanBinary.run(
            ["play", "-C", "-i", inventory, directory + "/quick.yml"], environment: environment)
        #expect(check.status == 0, "\(check.err)")
        let forced = try CapstanBinary.run(
            ["play", "--no-lock", "-i", inventory, directory + "/quick.yml"], environment: environment)
        #expect(forced.status == 0, "\(forced.err)")
        first.signal(SIGINT)
        #expect(first.wait() == 130, "\(first.output)")
        #expect(try !SSHCancellationTests.running(marker))
        let after = try CapstanBinary.run(
            ["play", "-i", inventory, directory + "/quick.yml"], environment: environment)
        #expect(after.status == 0, "\(after.err)")
    }
}
