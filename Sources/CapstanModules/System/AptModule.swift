import CapstanBasics
import Collections

/// `apt`: Debian packages through apt-get, in one remote program that refreshes the cache when asked
/// (honouring `cache_valid_time`), reads what is installed (`dpkg-query`) and available
/// (`apt-cache madison`/`policy`), then runs one `apt-get install` or `apt-get remove` for exactly
/// the packages that need it. `name=VERSION` pins (shell patterns allowed, as Ansible's fnmatch),
/// `latest` upgrades when the candidate is newer, `deb` installs a file (or URL, fetched with curl or
/// wget) through apt-get so its dependencies come along. `lock_timeout` becomes apt's own
/// `DPkg::Lock::Timeout`, so a held dpkg lock is waited for instead of failing.
///
/// Check mode predicts from the package database without `apt-get --simulate` (so no `stdout`).
public struct AptModule: Module {
    public static let name = "apt"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("package", .list, aliases: ["name", "pkg"]),
            ArgumentDefinition(
                "state", choices: ["absent", "build-dep", "latest", "present", "fixed"], default: "present"),
            ArgumentDefinition("update_cache", .bool, aliases: ["update-cache"]),
            ArgumentDefinition("update_cache_retries", .int, default: 5),
            ArgumentDefinition("cache_valid_time", .int, default: 0),
            ArgumentDefinition("purge", .bool, default: false),
            ArgumentDefinition("deb", .path),
            ArgumentDefinition("install_recommends", .bool, aliases: ["install-recommends"]),
            ArgumentDefinition(
                "allow_downgrade", .bool, aliases: ["allow-downgrade", "allow_downgrades", "allow-downgrades"],
                default: false),
            ArgumentDefinition("autoremove", .bool, default: false),
            ArgumentDefinition("force_apt_get", .bool, default: false),
            ArgumentDefinition("lock_timeout", .int, default: 60),
            ArgumentDefinition("only_upgrade", .bool, default: false),
            ArgumentDefinition("dpkg_options", default: "force-confdef,force-confold"),
            ArgumentDefinition("default_release", aliases: ["default-release"]),
            ArgumentDefinition("upgrade", choices: ["dist", "full", "no", "safe", "yes"], default: "no"),
            ArgumentDefinition("force", .bool, default: false),
            ArgumentDefinition("autoclean", .bool, default: false),
            ArgumentDefinition("clean", .bool, default: false),
            ArgumentDefinition("fail_on_autoremove", .bool, default: false),
            ArgumentDefinition("policy_rc_d", .int),
            ArgumentDefinition("allow_unauthenticated", .bool, aliases: ["allow-unauthenticated"], default: false),
            ArgumentDefinition("allow_change_held_packages", .bool, default: false),
            ArgumentDefinition("update_cache_retry_max_delay", .int, default: 12),
            // Capstan needs no python3-apt on the node: accepted, nothing to install.
            ArgumentDefinition("auto_install_module_deps", .bool, default: true),
        ], mutuallyExclusive: [["deb", "package", "upgrade"]])

    let arguments: ModuleArguments
    let packages: [String]
    /// `name: "*"` with `state: latest`: upgrade every installed package (`upgrade: yes`).
    let upgradesEverything: Bool

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        let given = (arguments["package"]?.listValue ?? []).map { $0.pythonString.trimmingWhitespace() }
        packages = given.filter { !$0.isEmpty && $0 != "*" }
        upgradesEverything = given.contains("*") && arguments.string("state") == "latest"
        if upgradesEverything && !packages.isEmpty {
            throw fail("unable to install additional packages when upgrading all installed packages")
        }
        for p in packages {
            if p.filter({ $0 == "=" }).count > 1 { throw fail("invalid package spec: \(p)") }
            if p.contains("\n") || p.hasPrefix("-") { throw fail("invalid package spec: \(p)") }
            if p.contains("=") && arguments.string("state") == "latest" {
                throw fail("version number inconsistent with state=latest: \(p)")
            }
        }
        if arguments["deb"] != nil && arguments.string("state") != "present" {
            throw fail("deb only supports state=present")
        }
        if arguments.string("state") == "build-dep" { throw fail("state=build-dep is not supported by Capstan") }
        self.arguments = arguments
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        func int(_ name: String, _ fallback: Int) -> Int {
            if case .int(let i)? = a[name] { return i }
            return fallback
        }
        let recommends = a.optionalBool("install_recommends").map { $0 ? "yes" : "no" } ?? ""
        let inputs: KeyValuePairs<String, String> = [
            "packages": packages.joined(separator: "\n"), "state": a.string("state") ?? "present",
            "update_cache": RemoteProgram.flag(a.bool("update_cache")),
            "cache_valid_time": "\(int("cache_valid_time", 0))", "retries": "\(max(int("update_cache_retries", 5), 1))",
            "purge": RemoteProgram.flag(a.bool("purge")), "deb": a.string("deb") ?? "", "recommends": recommends,
            "allow_downgrade": RemoteProgram.flag(a.bool("allow_downgrade")),
            "autoremove": RemoteProgram.flag(a.bool("autoremove")), "lock_timeout": "\(int("lock_timeout", 60))",
            "only_upgrade": RemoteProgram.flag(a.bool("only_upgrade")), "dpkg_options": a.string("dpkg_options") ?? "",
            "default_release": a.string("default_release") ?? "", "check": RemoteProgram.flag(context.checkMode),
            "upgrade": upgradesEverything ? "yes" : a.string("upgrade") ?? "no",
            "force": RemoteProgram.flag(a.bool("force")),
            "autoclean": RemoteProgram.flag(a.bool("autoclean")), "clean": RemoteProgram.flag(a.bool("clean")),
            "fail_on_autoremove": RemoteProgram.flag(a.bool("fail_on_autoremove")),
            "policy_rc_d": { if case .int(let code)? = a["policy_rc_d"] { "\(code)" } else { "" } }(),
            "allow_unauthenticated": RemoteProgram.flag(a.bool("allow_unauthenticated")),
            "allow_held": RemoteProgram.flag(a.bool("allow_change_held_packages")),
            "retry_max_delay": "\(max(int("update_cache_retry_max_delay", 12), 1))",
        ]
        let program = RemoteProgram.assignments(inputs) + RemoteProgram.prelude + AptProgram.body
        // Package scripts may start daemons that keep stdout open: a fresh shell with stdout in a file
        // keeps their output out of the connection's next frames.
        var options = context.commandOptions
        options.subshell = false
        let result = try await context.connection.run(program, options: options)
        let (report, stdout) = AptProgram.split(result)
        guard report.succeeded else { return .failed(report.stderr) }
        return AptProgram.outcome(report, stdout: stdout, state: a.string("state") ?? "present")
    }
}

/// `package`: the generic package module. Capstan's hosts are Debian, so as ansible-core's action
/// picks `apt` there, it hands every argument but `use` to `apt`, whose checks and messages apply
/// (`allow_downgrade`, `update_cache`, ... work; an unknown name is `ansible.legacy.apt`'s error).
public struct PackageModule: Module {
    public static let name = "package"
    public static let spec = ArgumentSpec([ArgumentDefinition("use", default: "auto")], unknownKeys: .accepted)
    let inner: AptModule

    public init(arguments: ModuleArguments) throws {
        let use = arguments.string("use") ?? "auto"
        guard use == "auto" || use == "apt" else {
            throw ModuleArgumentError(
                module: Self.name, message: "Could not find a matching action for the \"\(use)\" package manager.")
        }
        inner = try AptModule(
            arguments: ModuleArguments(arguments.extra, spec: AptModule.spec, module: "ansible.legacy.apt"))
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await inner.run(in: context) }
}
