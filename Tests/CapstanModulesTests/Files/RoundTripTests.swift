import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// The speed budget of the file modules, counted with `RecordingConnection`: a run that changes and
/// a run that finds nothing to do, each within its module's number of remote round trips.
@Suite struct RoundTripTests {
    struct Budget: CustomStringConvertible, Sendable {
        var module: String
        var args: @Sendable (FileSandbox) throws -> OrderedDictionary<String, Value>
        var limit: Int
        var description: String { module }
    }

    static let budgets: [Budget] = [
        Budget(
            module: "lineinfile",
            args: { box in
                try box.write("f", "a\n")
                return [
                    "path": .string(box.path("f")), "line": "b", "mode": "0600", "backup": true,
                    "validate": "test -f %s",
                ]
            }, limit: 2),
        Budget(
            module: "blockinfile",
            args: { box in
                try box.write("f", "a\n")
                return ["path": .string(box.path("f")), "block": "b", "mode": "0600"]
            }, limit: 2),
        Budget(
            module: "replace",
            args: { box in
                try box.write("f", "a\n")
                return ["path": .string(box.path("f")), "regexp": "a", "replace": "b", "mode": "0600"]
            }, limit: 2),
        Budget(
            module: "file",
            args: { box in
                ["path": .string(box.path("d/e")), "state": "directory", "mode": "0700"]
            }, limit: 2),
        Budget(
            module: "stat",
            args: { box in
                try box.write("f", "a\n")
                return ["path": .string(box.path("f"))]
            }, limit: 2),
        Budget(
            module: "copy",
            args: { box in
                ["content": "x\n", "dest": .string(box.path("f")), "mode": "0600", "backup": true]
            }, limit: 3),
        Budget(
            module: "slurp",
            args: { box in
                try box.write("f", "a\n")
                return ["src": .string(box.path("f"))]
            }, limit: 1),
        Budget(
            module: "fetch",
            args: { box in
                try box.write("f", "a\n")
                return ["src": .string(box.path("f")), "dest": .string(box.path("out"))]
            }, limit: 1),
    ]

    @Test(arguments: RoundTripTests.budgets)
    func withinBudget(_ budget: Budget) async throws {
        let box = try FileSandbox()
        let args = try budget.args(box)
        let first = try await box.run(budget.module, args)
        let firstTrips = box.connection.roundTrips
        let second = try await box.run(budget.module, args)
        let secondTrips = box.connection.roundTrips
        #expect(first.status != .failed, "\(first.fields)")
        #expect(second.status == .ok, "\(second.fields)")
        #expect(firstTrips <= budget.limit)
        #expect(secondTrips <= budget.limit)
        #expect(secondTrips == 1, "a run with nothing to do only looks")
        print("round trips \(budget.module): \(firstTrips) changing, \(secondTrips) unchanged")
    }
}
