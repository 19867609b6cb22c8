import CapstanBasics
import Collections

/// `package_facts` for apt: `ansible_facts.packages` as Ansible's module builds it from python-apt's
/// cache, read in one remote program (`package-facts.sh`: `dpkg-query` and apt's lists) and put
/// together by `PackageFactsParser`. Other managers are known by name (so a list naming them fails
/// or passes as Ansible's does) but are never usable on the nodes Capstan targets.
public struct PackageFactsModule: Module {
    public static let name = "package_facts"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("manager", .list, default: ["auto"], elements: .string),
        ArgumentDefinition("strategy", choices: ["first", "all"], default: "first"),
    ])

    /// Ansible's manager names in `get_all_pkg_managers()` order, then the aliases it adds.
    static let managerNames = ["rpm", "apt", "pacman", "pkg", "portage", "apk", "pkg_info"]
    static let aliases: KeyValuePairs<String, [String]> = [
        "rpm": ["dnf", "dnf5", "yum", "zypper"], "pkg": ["pkg5", "pkgng"], "pkg_info": ["openbsd_pkg"],
    ]

    let requested: [String]
    let managers: [String]

    public init(arguments: ModuleArguments) throws {
        requested = (arguments["manager"]?.listValue ?? []).compactMap(\.stringValue)
        var managers = requested.map { $0.lowercased() }
        let known = Self.managerNames + Self.aliases.flatMap(\.value)
        if managers.contains("auto") {
            managers += known
            managers.remove(at: managers.firstIndex(of: "auto")!)
        }
        let unsupported = managers.filter { !known.contains($0) }
        if !unsupported.isEmpty {
            let message =
                requested.contains("auto")
                ? "Could not auto detect a usable package manager, check warnings for details."
                : "Unsupported package managers requested: "
                    + Array(OrderedSet(unsupported)).joined(separator: ", ")
            throw ModuleArgumentError(module: Self.name, message: message)
        }
        self.managers = managers
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let resolved = managers.map { name in Self.aliases.first { $0.value.contains(name) }?.key ?? name }
        guard resolved.contains("apt") else { return notFound() }
        let result = try await context.connection.run(
            RemoteProgram.prelude + NodePrograms.packageFacts, options: context.commandOptions)
        guard result.succeeded else { return .failed("Failed to retrieve packages with apt: \(result.stderrText)") }
        guard let packages = PackageFactsParser.parse(result.stdoutText) else { return notFound() }
        return ModuleOutcome(status: .ok, fields: ["ansible_facts": .dict(["packages": .dict(packages)])])
    }

    /// Ansible's failure when no listed manager is usable (the list as Python prints it).
    func notFound() -> ModuleOutcome {
        let list = "[" + managers.map { "'\($0)'" }.joined(separator: ", ") + "]"
        return .failed(
            "Could not detect a supported package manager from the following list: \(list), "
                + "or the required Python library is not installed. Check warnings for details.")
    }
}

/// Puts `package-facts.sh`'s output together as python-apt's cache shows the installed packages:
/// every package dpkg has a current version of (not `not-installed` or `config-files`), named with
/// `:ARCH` when foreign, its section and origin from the first apt list holding its installed
/// version (or, for a version no list has, dpkg's section and an empty origin).
enum PackageFactsParser {
    /// The packages by name, or nil when dpkg or apt is missing on the node.
    static func parse(_ output: String) -> OrderedDictionary<String, Value>? {
        var native = ""
        var fromLists: [String: (origin: String, section: String)] = [:]
        var installed: [[String]] = []
        for line in output.split(separator: "\n") {
            let text = String(line.dropFirst(2))
            switch line.first {
            case "M": return nil
            case "N": native = text
            case "P": installed.append(text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
            case "O":
                let f = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard f.count == 5 else { continue }
                let key = f[1] + "\t" + f[2] + "\t" + f[3]
                if fromLists[key] == nil { fromLists[key] = (f[0], f[4]) }
            default: continue
            }
        }
        var packages: [String: [Value]] = [:]
        for f in installed where f.count == 5 {
            let status = Array(f[0])
            guard status.count >= 2, status[1] != "n", status[1] != "c" else { continue }
            let (package, version, arch) = (f[1], f[2], f[3])
            let name = arch == native || arch == "all" ? package : package + ":" + arch
            let listed = fromLists[package + "\t" + version + "\t" + arch]
            let section = listed?.section ?? f[4]
            packages[name, default: []].append(
                .dict([
                    "name": .string(name), "version": .string(version), "arch": .string(arch),
                    "category": section.isEmpty ? .null : .string(section), "origin": .string(listed?.origin ?? ""),
                    "source": "apt",
                ]))
        }
        var sorted = OrderedDictionary<String, Value>()
        for name in packages.keys.sorted() { sorted[name] = .list(packages[name]!) }
        return sorted
    }
}
