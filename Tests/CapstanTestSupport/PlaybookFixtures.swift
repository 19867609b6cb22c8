import Foundation

@testable import CapstanPlaybook

/// The playbook fixture corpus: Fixtures/playbook/{valid,malformed} and the outputs that
/// Tests/oracles/playbook-expected.sh stored from ansible-playbook.
package enum PlaybookFixtures {
    /// `Tests/Fixtures/playbook`.
    package static let root = Fixtures.url("playbook").path

    /// The module short names the fixtures use (a stand-in for the module registry).
    package static let knownModules: Set<String> = [
        "command", "shell", "raw", "copy", "template", "file", "lineinfile", "blockinfile", "replace", "stat", "slurp",
        "fetch", "get_url", "unarchive", "apt", "apt_key", "apt_repository", "deb822_repository", "package", "service",
        "systemd", "systemd_service", "sysctl", "modprobe", "mount", "hostname", "user", "group", "debug", "set_fact",
        "fail", "assert", "wait_for", "pause", "meta", "setup", "ping", "script", "k8s", "include_tasks",
        "import_tasks", "include_role", "import_role", "include_vars", "add_host", "group_by", "uri", "reboot", "find",
        "wait_for_connection",
    ]

    /// The loader the oracle's settings correspond to (`ANSIBLE_ROLES_PATH=extra-roles`).
    package static let loader = PlaybookLoader(roleSearchPaths: [root + "/extra-roles"], knownModules: knownModules)

    /// Fixture playbook names (without `.yml`) in `folder`, sorted.
    package static func names(_ folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []
        return files.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// A stored oracle output.
    package static func expected(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/expected/" + relative, encoding: .utf8)
    }

    /// Loads `valid/NAME.yml`, naming it as ansible-playbook was given it (relative to `valid/`).
    package static func loadValid(_ name: String) throws -> Playbook {
        var playbook = try loader.load(path: root + "/valid/\(name).yml")
        playbook.path = "\(name).yml"
        return playbook
    }
}
