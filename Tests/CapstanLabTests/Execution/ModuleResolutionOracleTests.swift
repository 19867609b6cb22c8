import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// Module resolution and loop-before-`when` as ansible-playbook 2.19 does them, on the controller
/// (local connection, Fixtures/module-resolution): `action:` names that resolve to nothing fail when
/// the task runs, loop items naming an undefined variable yield to a false `when`, and modules Capstan
/// lacks run as Ansible's own (ansible-core's, a role's `library/`, the playbook's `library/`).
struct ModuleResolutionOracleTests {
    static let fixture = Fixtures.url("module-resolution").path
    static let venvPython = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python").path

    /// Runs `capstan play` and ansible-playbook on `playbook`; same exit status, and each one's
    /// banners, statuses, failure messages and recap.
    static func both(_ playbook: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws
        -> (capstan: [String], ansible: [String], capstanOut: String)
    {
        let common = ["-i", "\(fixture)/hosts.ini"] + arguments + ["\(fixture)/\(playbook)"]
        var env = ["CAPSTAN_ANSIBLE_PYTHON": venvPython]
        env.merge(environment) { $1 }
        let ours = try CapstanBinary.run(["play", "--no-journal"] + common, environment: env)
        let theirs = try RoleArgumentSpecOracleTests.ansiblePlaybook(common)
        #expect(ours.status == theirs.status, "\(playbook): capstan \(ours.out)\(ours.err)")
        return (
            RoleArgumentSpecOracleTests.summary(ours.out).map(undefinedCause),
            RoleArgumentSpecOracleTests.summary(theirs.out).map(undefinedCause), ours.out + ours.err
        )
    }

    /// An undefined-variable failure by its cause: Capstan words it as ansible-core 2.16 did ("The task
    /// includes an option with an undefined variable. The error was: ..."), 2.19 as "Task failed: ...".
    static func undefinedCause(_ line: String) -> String {
        let capstan = "fatal: The task includes an option with an undefined variable. The error was: "
        if line.hasPrefix(capstan) {
            return "fatal: undefined: " + (line.dropFirst(capstan.count).split(separator: "\n").first ?? "")
        }
        if line.hasPrefix("fatal: Task failed: "), line.contains("has no attribute") || line.contains("is undefined") {
            return "fatal: undefined: " + line.dropFirst("fatal: Task failed: ".count)
        }
        return line
    }

    @Test func loopItemsWaitForWhen() throws {
        let (capstan, ansible, _) = try Self.both("loop-when.yml")
        #expect(capstan == ansible)
        #expect(ansible.contains("fatal: changed,false_condition,skip_reason,skipped Conditional result was False"))
        #expect(ansible.filter { $0 == "skipping:" }.count >= 3)
    }

    @Test func unresolvedActionFailsWhenItRuns() throws {
        let (capstan, ansible, _) = try Self.both("unresolved-actions.yml")
        #expect(capstan == ansible)
        #expect(ansible.contains("fatal: Task failed: Cannot resolve 'nosuchmodule' to an action or module."))
    }

    @Test(arguments: [[], ["--check"]])
    func modulesCapstanLacksRunAsAnsibles(_ arguments: [String]) throws {
        let (capstan, ansible, _) = try Self.both("fallback.yml", arguments)
        #expect(capstan == ansible, "\(arguments)")
        #expect(ansible.contains("fatal: x,0,0,root,/root,/bin/bash"))
    }

    /// `-v` says which tasks ran Ansible's module; JSON output marks their `task_start`.
    @Test func fallbackTasksAreShown() throws {
        let env = ["CAPSTAN_ANSIBLE_PYTHON": Self.venvPython]
        let common = ["-i", "\(Self.fixture)/hosts.ini", "\(Self.fixture)/fallback.yml"]
        let verbose = try CapstanBinary.run(["play", "--no-journal", "-v"] + common, environment: env)
        #expect(
            verbose.out.contains(
                "fallback: 'ansible.legacy.cron' is not implemented by Capstan; running Ansible's module"))
        #expect(!verbose.out.contains("fallback: 'getent'"), "getent is native")
        let json = try CapstanBinary.run(["play", "--no-journal", "--output", "json"] + common, environment: env)
        let starts = json.out.split(separator: "\n").compactMap { try? Value(jsonText: String($0)) }
            .filter { $0["event"]?.stringValue == "task_start" }
        let marked = starts.filter { $0["fallback"] == .bool(true) }.compactMap { $0["action"]?.stringValue }
        #expect(Set(marked) == ["capstan_probe", "playbook_probe", "ansible.legacy.cron"])
        #expect(starts.contains { $0["action"]?.stringValue == "fail" && $0["fallback"] == nil })
    }

    /// Without ansible-core on the controller, each such task fails naming the module and what is missing.
    @Test func withoutAnsibleCoreEachTaskFailsClearly() throws {
        let common = ["-i", "\(Self.fixture)/hosts.ini", "\(Self.fixture)/fallback.yml"]
        let run = try CapstanBinary.run(
            ["play", "--no-journal"] + common, environment: ["CAPSTAN_ANSIBLE_PYTHON": "/nonexistent/python3"])
        #expect(run.status != 0)
        #expect(
            run.out.contains(
                "module 'capstan_probe' is not implemented by Capstan, and running Ansible's needs ansible-core "
                    + "on the controller"))
        #expect(run.out.contains("CAPSTAN_ANSIBLE_PYTHON"))
    }

    /// Without Python on the node, the task fails naming the module and the missing interpreter.
    @Test func withoutPythonOnTheNodeTheTaskFailsClearly() throws {
        let common = [
            "-i", "\(Self.fixture)/hosts.ini", "-e", "ansible_python_interpreter=/nonexistent/python3",
            "\(Self.fixture)/fallback.yml",
        ]
        let run = try CapstanBinary.run(
            ["play", "--no-journal"] + common, environment: ["CAPSTAN_ANSIBLE_PYTHON": Self.venvPython])
        #expect(run.status != 0)
        #expect(
            run.out.contains(
                "module 'capstan_probe' is not implemented by Capstan, and running Ansible's needs Python on the node: "
                    + "ansible_python_interpreter '/nonexistent/python3' was not found"))
    }
}
