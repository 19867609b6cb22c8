import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// How the fallback reads a module's output, against ansible-core 2.19's own reader
/// (`_filter_non_json_lines`, then `json.loads`): the same object, or a failure for both.
struct AnsibleModuleFallbackTests {
    static let python = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python").path

    static let outputs = [
        #"{"changed": true, "rc": 0}"#,
        "\n" + #"{"ansible_facts": {"getent_passwd": {"root": ["x", "0"]}}, "changed": false}"#,
        "motd line\nanother\n" + #"{"msg": "ok"}"# + "\ntrailing junk",
        "Warning: something\n" + #"{"a": {"b": [1, 2.5, null, false]}}"# + "\n",
        "no json at all\n",
        #"  {"indented": 1}"#,
        "\r\n" + #"{"crlf": "yes"}"# + "\r\n",
        #"{"a": 1}"# + "\nend }",
        "{\n" + #""multi": "line""# + "\n}\n",
        "",
    ]

    /// ansible-core's reading of `output`: the JSON text as Python's json.dumps writes it, or "error".
    static func ansible(_ output: String) throws -> String {
        let script = """
            import json, sys
            from ansible.module_utils.json_utils import _filter_non_json_lines
            try:
                print(json.dumps(json.loads(_filter_non_json_lines(sys.argv[1])[0])))
            except Exception:
                print("error")
            """
        let run = try SpawnedProcess.run(Self.python, ["-W", "ignore", "-c", script, output])
        return run.out.trimmingCharacters(in: .newlines)
    }

    @Test(arguments: outputs)
    func readsModuleOutputAsAnsibleDoes(_ output: String) throws {
        let expected = try Self.ansible(output)
        let ours = AnsibleModuleFallback.json(in: output)
        if expected == "error" {
            #expect(ours == nil, "\(output)")
        } else {
            #expect(ours == (try Value(jsonText: expected)), "\(output)")
        }
    }

    @Test func statusesFollowTheResultFlags() {
        func outcome(_ json: String) -> ModuleOutcome {
            let result = CommandResult(
                exitStatus: 0, signal: nil, stdout: Array(json.utf8), stderr: [], duration: .zero)
            return AnsibleModuleFallback.outcome(of: result, verbosity: 0)
        }
        #expect(outcome(#"{"changed": true}"#).status == .changed)
        #expect(outcome(#"{"failed": true, "msg": "x"}"#).status == .failed)
        let unsupported = #"{"skipped": true, "msg": "remote module (x) does not support check mode"}"#
        #expect(outcome(unsupported).status == .skipped)
        let plain = outcome(#"{"invocation": {"module_args": {}}, "_ansible_parsed": true, "x": 1}"#)
        #expect(plain.status == .ok && plain.fields["invocation"] == nil && plain.fields["_ansible_parsed"] == nil)
        let broken = outcome("Traceback (most recent call last):\n")
        #expect(broken.status == .failed)
        #expect(broken.fields["msg"] == "Module result deserialization failed: No start of json char found")
    }
}
