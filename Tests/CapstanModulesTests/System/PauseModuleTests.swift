import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `pause`, the one implementation behind `-m pause` and a playbook's `pause:` task: it waits on the
/// controller and never needs the host.
struct PauseModuleTests {
    func run(_ arguments: OrderedDictionary<String, Value>) async throws -> ModuleOutcome {
        let module = try ModuleRegistry.standard.instantiate("pause", arguments: arguments)
        return try await module.run(
            in: ModuleContext(host: "localhost", connection: LocalConnection(host: "localhost")))
    }

    @Test func waitsOnTheController() async throws {
        #expect(PauseModule.runsOnController)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await run(["seconds": "1"])
        #expect(clock.now - start >= .seconds(1))
        #expect(outcome.status == .ok)
        guard case .int(let delta)? = outcome.fields["delta"] else {
            Issue.record("delta is not a number: \(String(describing: outcome.fields["delta"]))")
            return
        }
        #expect(delta >= 1 && Duration.seconds(delta) <= clock.now - start + .seconds(1), "delta \(delta)")
        // A loaded machine may sleep longer than asked; the shape and the minimum are what matter.
        let stdout = outcome.fields["stdout"]?.stringValue ?? ""
        #expect(stdout.hasPrefix("Paused for ") && stdout.hasSuffix(" seconds"), "\(stdout)")
        #expect(outcome.fields["echo"] == true)
    }

    @Test func withoutDurationWarnsAndGoesOn() async throws {
        let outcome = try await run(["prompt": "Continue?"])
        #expect(outcome.status == .ok)
        #expect(outcome.fields["warnings"] == ["Not waiting for response to prompt as stdin is not interactive"])
        #expect(outcome.fields["echo"] == true)
        #expect(outcome.fields["stdout"]?.stringValue?.hasSuffix(" minutes") == true)
    }

    @Test func waitsAtLeastOneSecondAndTakesFloatsAsPythonsInt() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await run(["seconds": 0.5, "echo": false])
        #expect(clock.now - start >= .seconds(1))
        guard case .int(let delta)? = outcome.fields["delta"] else {
            Issue.record("delta is not an int")
            return
        }
        #expect(delta >= 1)
        #expect(outcome.fields["echo"] == false)
    }

    /// The messages ansible-playbook 2.19 gives for the same arguments; durations no run could wait are
    /// argument errors, never a conversion trap.
    @Test func argumentErrors() {
        let cases: [(OrderedDictionary<String, Value>, String)] = [
            (["seconds": 1, "minutes": 1], "parameters are mutually exclusive: minutes|seconds"),
            (
                ["seconds": 1, "foo": 1],
                "Unsupported parameters for (pause) module: foo. Supported parameters include: echo, minutes, prompt, seconds."
            ),
            (
                ["seconds": "abc"],
                "argument 'seconds' is of type str and we were unable to convert to int: invalid literal for int() with base 10: 'abc'"
            ),
            (
                ["seconds": .float(.infinity)],
                "argument 'seconds' is of type float and we were unable to convert to int: cannot convert float infinity to integer"
            ),
            (
                ["minutes": .float(.nan)],
                "argument 'minutes' is of type float and we were unable to convert to int: cannot convert float NaN to integer"
            ),
        ]
        for (arguments, message) in cases {
            #expect(argumentError(PauseModule.self, arguments) == message)
        }
        #expect(argumentError(PauseModule.self, ["seconds": 1e300]) != nil)
    }
}
