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
