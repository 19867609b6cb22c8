import CapstanBasics
import Collections

/// Finds a module by any of the names Ansible accepts: `copy`, `ansible.builtin.copy`,
/// `ansible.legacy.copy`.
public struct ModuleRegistry: Sendable {
    private var types: [String: any Module.Type] = [:]

    /// The modules Capstan ships.
    public static let standard = ModuleRegistry([
        AptModule.self,
        AptKeyModule.self,
        AptRepositoryModule.self,
        AuthorizedKeyModule.self,
        BlockInFileModule.self,
        CommandModule.self,
        CopyModule.self,
        Deb822RepositoryModule.self,
        DpkgSelectionsModule.self,
        FetchModule.self,
        FileModule.self,
        FindModule.self,
        GatherFactsModule.self,
        GetentModule.self,
        GetUrlModule.self,
        GroupModule.self,
        HostnameModule.self,
        IniFileModule.self,
        K8sModule.self,
        KnownHostsModule.self,
        LineInFileModule.self,
        ModprobeModule.self,
        MountModule.self,
        PackageModule.self,
        PackageFactsModule.self,
        PauseModule.self,
        PingModule.self,
        RawModule.self,
        RebootModule.self,
        ReplaceModule.self,
        ScriptModule.self,
        ServiceModule.self,
        ServiceFactsModule.self,
        SetupModule.self,
        ShellModule.self,
        SlurpModule.self,
        StatModule.self,
        SysctlModule.self,
        SystemdModule.self,
        SystemdServiceModule.self,
        TimezoneModule.self,
        UnarchiveModule.self,
        UriModule.self,
        UserModule.self,
        WaitForModule.self,
        WaitForConnectionModule.self,
    ])

    public init(_ modules: [any Module.Type]) {
        for m in modules { types[m.name] = m }
    }

    /// Every module's short name.
    public var names: [String] { types.keys.sorted() }

    /// The canonical short name for a task's module name, if it is known.
    public func canonicalName(_ name: String) -> String? {
        for prefix in [
            "ansible.builtin.", "ansible.legacy.", "ansible.posix.", "community.general.", "kubernetes.core.",
        ]
        where name.hasPrefix(prefix) {
            let short = String(name.dropFirst(prefix.count))
            return types[short] != nil ? short : nil
        }
        return types[name] != nil ? name : nil
    }

    /// Whether the module keeps free-form `k=v` words as part of its command (the command family).
    public static func keepsRawWords(_ canonicalName: String) -> Bool {
        ["command", "shell", "raw", "script"].contains(canonicalName)
    }

    /// Checks arguments and builds the module; unknown modules and bad arguments are errors.
    /// The argument spec of the module `name` resolves to, if any.
    public func spec(of name: String) -> ArgumentSpec? {
        canonicalName(name).flatMap { types[$0]?.spec }
    }

    public func instantiate(_ name: String, arguments raw: OrderedDictionary<String, Value>) throws -> any Module {
        guard let short = canonicalName(name), let type = types[short] else {
            throw ModuleArgumentError(module: name, message: "couldn't resolve module/action '\(name)'")
        }
        let checked = try ModuleArguments(raw, spec: type.spec, module: short)
        return try type.init(arguments: checked)
    }
}
