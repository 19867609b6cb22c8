import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanModules

/// `debug`, `assert`, `fail` and `pause` beyond what the Ansible recordings cover.
struct MessageActionTests {
    @Test func debugDefaultsToHelloWorldAndShowsAtItsVerbosity() async throws {
        let plain = try await ActionHarness.run(DebugAction.self, [:])
        #expect(plain.outcome.fields["msg"] == "Hello world!")
        let shown = try await ActionHarness.run(DebugAction.self, ["msg": "x", "verbosity": 2], verbosity: 2)
        #expect(shown.outcome.status == .ok)
        let hidden = try await ActionHarness.run(DebugAction.self, ["msg": "x", "verbosity": "2"], verbosity: 1)
        #expect(hidden.outcome.status == .skipped)
    }

    @Test func debugVarTakesAnExpression() async throws {
        let result = try await ActionHarness.run(
            DebugAction.self, ["var": "items | length"], vars: ["items": [1, 2, 3]])
        #expect(result.outcome.fields["items | length"] == 3)
    }

    @Test func debugMsgAndVarExcludeEachOther() async throws {
        let result = try await ActionHarness.run(DebugAction.self, ["msg": "a", "var": "b"])
        #expect(result.outcome.status == .failed)
    }

    @Test func assertStopsAtTheFirstFalseCondition() async throws {
        let result = try await ActionHarness.run(
            AssertAction.self, ["that": ["x > 1", "x > 5", "x > 10"], "msg": "too small"], vars: ["x": 3])
        #expect(result.outcome.status == .failed)
        #expect(result.outcome.fields["assertion"] == "x > 5")
        #expect(result.outcome.fields["msg"] == "too small")
    }

    @Test func assertNeedsThatAndChecksMessageTypes() async throws {
        #expect(
            try await ActionHarness.run(AssertAction.self, [:]).outcome.fields["msg"]
                == "conditional required in \"that\" string")
        let bad = try await ActionHarness.run(AssertAction.self, ["that": "true", "success_msg": 3])
        #expect(bad.outcome.status == .failed)
    }

    @Test func assertSuccessMessageAndQuiet() async throws {
        let result = try await ActionHarness.run(AssertAction.self, ["that": "true", "success_msg": "fine"])
        #expect(result.outcome.fields["msg"] == "fine")
        #expect(result.outcome.fields["_ansible_verbose_always"] == true)
        let quiet = try await ActionHarness.run(AssertAction.self, ["that": "true", "quiet": "yes"])
        #expect(quiet.outcome.fields["_ansible_verbose_always"] == nil)
    }

    @Test func failKeepsANonStringMessage() async throws {
        let result = try await ActionHarness.run(FailAction.self, ["msg": ["a", "b"]])
        #expect(result.outcome.status == .failed)
        #expect(result.outcome.fields["msg"] == ["a", "b"])
    }

    @Test func pauseWithoutDurationWarnsAndGoesOn() async throws {
        let result = try await ActionHarness.run(PauseAction.self, ["prompt": "Continue?"])
        #expect(result.outcome.status == .ok)
        #expect(result.outcome.fields["warnings"] == ["Not waiting for response to prompt as stdin is not interactive"])
        #expect(result.outcome.fields["echo"] == true)
    }

    /// Durations no run could wait are argument errors, never a conversion trap.
    @Test func pauseRefusesDurationsPastAnyInteger() async throws {
        for value: Value in [1e300, .float(.infinity), .float(.nan)] {
            await #expect(throws: ModuleArgumentError.self) {
                try await ActionHarness.run(PauseAction.self, ["seconds": value])
            }
        }
    }

    @Test func pauseWaitsAtLeastOneSecond() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await ActionHarness.run(PauseAction.self, ["seconds": 0, "echo": false])
        #expect(clock.now - start >= .seconds(1))
        // A loaded machine may sleep longer than asked; the shape and the minimum are what matter.
        let stdout = result.outcome.fields["stdout"]?.stringValue ?? ""
        #expect(stdout.hasPrefix("Paused for ") && stdout.hasSuffix(" seconds"), "\(stdout)")
        guard case .int(let delta)? = result.outcome.fields["delta"] else {
            Issue.record("delta is not an int")
            return
        }
        #expect(delta >= 1)
        #expect(result.outcome.fields["echo"] == false)
    }

    @Test func pauseRejectsBothUnits() async throws {
        let result = try await ActionHarness.run(PauseAction.self, ["seconds": 1, "minutes": 1])
        #expect(result.outcome.fields["msg"] == "parameters are mutually exclusive: minutes|seconds")
    }
}
