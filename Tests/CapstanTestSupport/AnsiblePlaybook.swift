import Foundation

/// ansible-playbook 2.19 from `.build/venv` (installed by `.ci/setup`), run as the oracle: no colour, no
/// user configuration (`Tests/oracles/ansible-empty.cfg`) and its own state folder under `.build`.
package enum AnsiblePlaybook {
    package static let path = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/ansible-playbook").path

    /// Runs `ansible-playbook ARGS` with the oracle's environment, plus `extra`.
    package static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws
        -> SpawnedProcess.Outcome
    {
        var env = ProcessInfo.processInfo.environment
        env["ANSIBLE_NOCOLOR"] = "1"
        env["ANSIBLE_HOME"] = Fixtures.packageRoot.appendingPathComponent(".build/ansible-home").path
        env["ANSIBLE_CONFIG"] = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/ansible-empty.cfg").path
        env.merge(extra) { $1 }
        return try SpawnedProcess.run(path, arguments, environment: env)
    }
}
