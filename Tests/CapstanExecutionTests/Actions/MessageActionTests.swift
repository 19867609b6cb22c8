import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanModules

/// `debug`, `assert` and `fail` beyond what the Ansible recordings cover.
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
        #expect(result.outcome.fields["msg"] == "parameters are mutually exclusive: msg|var")
    }

    /// The argument checker's messages, as ansible-playbook 2.19 printed them for the same tasks.
    @Test func argumentErrorsReadAsAnsibles() async throws {
        let cases: [(any ControllerAction.Type, OrderedDictionary<String, Value>, String)] = [
            (
                DebugAction.self, ["msg": "a", "foo": 1],
                "Unsupported parameters for (debug) module: foo. Supported parameters include: msg, var, verbosity."
            ),
            (
                DebugAction.self, ["msg": "a", "verbosity": "abc"],
                "argument 'verbosity' is of type str and we were unable to convert to int: \"'abc'\" cannot be converted to an int"
            ),
            (
                DebugAction.self, ["msg": "a", "verbosity": 1.5],
                "argument 'verbosity' is of type float and we were unable to convert to int: \"1.5\" cannot be converted to an int"
            ),
            (
                DebugAction.self, ["var": 3],
                "argument 'var' is of type int and we were unable to convert to _check_type_str_no_conversion: '3' is not a string and conversion is not allowed"
            ),
            (
                AssertAction.self, ["that": true, "foo": 1],
                "Unsupported parameters for (assert) module: foo. Supported parameters include: fail_msg, quiet, success_msg, that (msg)."
            ),
            (AssertAction.self, ["msg": "x"], "missing required arguments: that"),
            (
                AssertAction.self, ["that": true, "success_msg": 3],
                "argument 'success_msg' is of type int and we were unable to convert to str_or_list_of_str: a string or list of strings is required"
            ),
            (FailAction.self, ["msg": "a", "foo": 1], "Invalid options for fail: foo"),
            (GroupByAction.self, ["key": "x", "foo": 1], "Invalid options for group_by: foo"),
            (
                IncludeVarsAction.self, ["file": "x.yml", "foo": 1],
                "Task failed: foo is not a valid option in include_vars"
            ),
        ]
        for (action, arguments, message) in cases {
            #expect(throws: ModuleArgumentError.self) { try action.init(checking: arguments) }
            do {
                _ = try action.init(checking: arguments)
            } catch let error as ModuleArgumentError {
                #expect(error.message == message)
            }
        }
    }

    @Test func assertAliasWinsOverItsOption() async throws {
        let result = try await ActionHarness.run(
            AssertAction.self, ["that": false, "msg": "a", "fail_msg": "b"])
        #expect(result.outcome.fields["msg"] == "a")
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
                == "missing required arguments: that")
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
}
