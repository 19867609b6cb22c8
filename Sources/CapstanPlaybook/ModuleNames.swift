import Foundation

/// The action names a task may use: the known modules (short names) plus the loader's own actions,
/// each also reachable through the collection prefixes Capstan understands.
public struct ModuleNames: Sendable {
    /// Collection prefixes that resolve to the short name (`ansible.builtin.copy` is `copy`).
    public static let collectionPrefixes = [
        "ansible.builtin.", "ansible.legacy.", "ansible.posix.", "community.general.", "kubernetes.core.",
    ]
    /// Actions the playbook loader itself handles, known whatever modules exist.
    public static let loaderActions: Set<String> = [
        "include_tasks", "import_tasks", "include_role", "import_role", "include_vars", "meta",
    ]
    /// Modules whose free-form text is kept whole (`command: ls a=b` keeps `a=b`), as Ansible's
    /// `FREEFORM_ACTIONS`.
    public static let freeFormModules: Set<String> = ["command", "shell", "raw", "script", "win_command", "win_shell"]

    /// The known short names.
    public let known: Set<String>

    /// Names from a module registry (short names).
    public init(known: Set<String>) {
        self.known = known.union(Self.loaderActions)
    }

    /// The modules ansible-core 2.19 ships (`ansible/modules/`): a task naming one Capstan lacks is
    /// still valid, as in Ansible, and runs through the fallback (or fails when it runs).
    public static let ansibleCoreModules: Set<String> = [
        "add_host", "apt", "apt_key", "apt_repository", "assemble", "assert", "async_status", "blockinfile",
        "command", "copy", "cron", "deb822_repository", "debconf", "debug", "dnf", "dnf5", "dpkg_selections",
        "expect", "fail", "fetch", "file", "find", "gather_facts", "get_url", "getent", "git", "group", "group_by",
        "hostname", "import_playbook", "import_role", "import_tasks", "include_role", "include_tasks",
        "include_vars", "iptables", "known_hosts", "lineinfile", "meta", "mount_facts", "package",
        "package_facts", "pause", "ping", "pip", "raw", "reboot", "replace", "rpm_key", "script", "service",
        "service_facts", "set_fact", "set_stats", "setup", "shell", "slurp", "stat", "subversion", "systemd",
        "systemd_service", "sysvinit", "tempfile", "template", "unarchive", "uri", "user",
        "validate_argument_spec", "wait_for", "wait_for_connection", "yum_repository",
    ]

    /// The name a task keeps for a module Capstan does not implement but Ansible would find: an
    /// ansible-core module (bare, `ansible.builtin.` or `ansible.legacy.`), a module file in one of
    /// `libraryFolders` (a role's or the playbook's `library/`), or a module of a collection installed
    /// in one of `collectionFolders` (each holding `ansible_collections/`). Nil for a name Ansible
    /// cannot resolve either, which is Ansible's parse error.
    public func fallback(_ name: String, libraryFolders: [String], collectionFolders: [String] = []) -> String? {
        var leaf = name
        for prefix in ["ansible.builtin.", "ansible.legacy."] where name.hasPrefix(prefix) {
            leaf = String(name.dropFirst(prefix.count))
        }
        let exists = { (path: String) in ["", ".py"].contains { FileManager.default.fileExists(atPath: path + $0) } }
        let parts = leaf.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) {
            let relative = "/ansible_collections/\(parts[0])/\(parts[1])/plugins/modules/\(parts[2])"
            return collectionFolders.contains { exists($0 + relative) } ? name : nil
        }
        guard parts.count == 1, !leaf.isEmpty else { return nil }
        if Self.ansibleCoreModules.contains(leaf) { return name }
        guard name == leaf || name.hasPrefix("ansible.legacy.") else { return nil }
        return libraryFolders.contains { exists($0 + "/" + leaf) } ? name : nil
    }

    /// Where Ansible looks for installed collections on this controller: `ANSIBLE_COLLECTIONS_PATH`
    /// (or the default `~/.ansible/collections:/usr/share/ansible/collections`), beside the playbook
    /// (`collections/`), and the `site-packages` of the Python that has ansible-core
    /// (`CAPSTAN_ANSIBLE_PYTHON`, where the `ansible` package installs its collections).
    public static func collectionFolders(playbookFolder: String?) -> [String] {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configured = environment["ANSIBLE_COLLECTIONS_PATH"] ?? environment["ANSIBLE_COLLECTIONS_PATHS"]
        var folders =
            configured.map { $0.split(separator: ":").map(String.init) }
            ?? [home + "/.ansible/collections", "/usr/share/ansible/collections"]
        if let playbookFolder { folders.insert(playbookFolder + "/collections", at: 0) }
        var libs = ["/usr/lib/python3/dist-packages"]
        if let python = environment["CAPSTAN_ANSIBLE_PYTHON"], python.hasPrefix("/") {
            let prefix = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent().path
            let lib = prefix + "/lib"
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
            libs += versions.filter { $0.hasPrefix("python3") }.sorted().map { lib + "/" + $0 + "/site-packages" }
        }
        return folders + libs
    }

    /// The short name of `name` when it is a known action, with or without a collection prefix.
    public func canonical(_ name: String) -> String? {
        if known.contains(name) { return name }
        for prefix in Self.collectionPrefixes where name.hasPrefix(prefix) {
            let short = String(name.dropFirst(prefix.count))
            if known.contains(short) { return short }
        }
        return nil
    }
}
