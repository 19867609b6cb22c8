import Collections

/// Reads the `min` group from the fact program's output.
enum SystemFactsParser {
    static func parse(_ output: FactOutput, machine: String) -> SystemFacts {
        let nodename = output.firstLine("/proc/sys/kernel/hostname") ?? ""
        let osRelease = KeyValueFile.parse(output.file("/etc/os-release") ?? output.file("/usr/lib/os-release") ?? "")
        let distribution = DistributionParser.parse(
            osRelease: osRelease, debianVersion: output.firstLine("/etc/debian_version"))
        let exists = Set(output.lines("exists"))
        return SystemFacts(
            nodename: nodename,
            fqdn: fqdn(nodename, lookup: output.lines("fqdn")),
            system: output.firstLine("/proc/sys/kernel/ostype") ?? "Linux",
            kernel: output.firstLine("/proc/sys/kernel/osrelease") ?? "",
            kernelVersion: output.firstLine("/proc/sys/kernel/version") ?? "",
            machine: machine,
            distribution: distribution,
            lsb: lsb(
                exists: exists, osRelease: osRelease, distribution: distribution,
                lsbFile: output.file("/etc/lsb-release")),
            user: user(output),
            clock: clock(output.lines("date").first ?? ""),
            environment: OrderedDictionary(output.environment.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
            serviceManager: serviceManager(exists: exists, pid1: output.firstLine("/proc/1/comm")),
            packageManager: packageManager(exists: exists),
            machineID: output.firstLine("/var/lib/dbus/machine-id") ?? output.firstLine("/etc/machine-id"),
            selinuxMode: output.firstLine("/sys/fs/selinux/enforce").map { $0 == "1" ? "enforcing" : "permissive" })
    }

    /// Python's `socket.getfqdn()`: of the reverse lookup's name and aliases, the first holding a dot,
    /// else that name; the node name itself when the lookup failed.
    static func fqdn(_ nodename: String, lookup: [String]) -> String {
        guard let line = lookup.first else { return nodename }
        let names = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init)
        guard let canonical = names.first else { return nodename }
        return names.first { $0.contains(".") } ?? canonical
    }

    /// `lsb_release -a` answers from os-release (Debian's lsb_release reads the same file; running
    /// the Python script would cost more than the whole fact program), else `/etc/lsb-release`.
    static func lsb(exists: Set<String>, osRelease: [String: String], distribution: Distribution, lsbFile: String?)
        -> LSBRelease?
    {
        if exists.contains("/usr/bin/lsb_release") {
            return LSBRelease(
                id: distribution.name, description: osRelease["PRETTY_NAME"] ?? "",
                release: osRelease["VERSION_ID"] ?? distribution.version,
                codename: osRelease["VERSION_CODENAME"] ?? distribution.release)
        }
        guard let lsbFile else { return nil }
        let values = KeyValueFile.parse(lsbFile)
        return LSBRelease(
            id: values["DISTRIB_ID"] ?? "", description: values["DISTRIB_DESCRIPTION"] ?? "",
            release: values["DISTRIB_RELEASE"] ?? "", codename: values["DISTRIB_CODENAME"] ?? "")
    }

    /// The account from `getent passwd` and the ids from `/proc/self/status` (`Uid: real effective ...`).
    static func user(_ output: FactOutput) -> UserFacts {
        let status = ProcStatus(output.file("/proc/self/status") ?? "")
        let fields = (output.lines("passwd").first ?? "").split(separator: ":", omittingEmptySubsequences: false)
            .map(String.init)
        let field = { (i: Int) in i < fields.count ? fields[i] : "" }
        return UserFacts(
            name: field(0), uid: Int(field(2)) ?? status.realUID, gid: Int(field(3)) ?? status.realGID,
            home: field(5), shell: field(6), gecos: field(4), realUID: status.realUID,
            effectiveUID: status.effectiveUID, realGID: status.realGID, effectiveGID: status.effectiveGID)
    }

    /// `date '+%s %N %Y %m %d %H %M %S %z %A %w %W %j %Z'`.
    static func clock(_ line: String) -> HostClock {
        let f = line.split(separator: " ").map(String.init)
        let field = { (i: Int) in i < f.count ? f[i] : "" }
        return HostClock(
            epoch: Int(field(0)) ?? 0, nanoseconds: Int(field(1)) ?? 0, year: field(2), month: field(3),
            day: field(4), hour: field(5), minute: field(6), second: field(7), tzOffset: field(8), tz: field(13),
            weekday: field(9), weekdayNumber: field(10), weekNumber: field(11))
    }

    static func serviceManager(exists: Set<String>, pid1: String?) -> String {
        if exists.contains("/run/systemd/system") { return "systemd" }
        if exists.contains("/sbin/openrc") { return "openrc" }
        if exists.contains("/sbin/initctl") { return "upstart" }
        guard let pid1, pid1 != "init", !pid1.hasSuffix("sh") else { return "sysvinit" }
        return pid1
    }

    static func packageManager(exists: Set<String>) -> String {
        let order: [(String, String)] = [
            ("/usr/bin/apt-get", "apt"), ("/usr/bin/dnf", "dnf"), ("/usr/bin/yum", "yum"),
            ("/usr/bin/zypper", "zypper"), ("/sbin/apk", "apk"), ("/usr/bin/pacman", "pacman"),
            ("/usr/bin/emerge", "portage"), ("/usr/sbin/pkg", "pkgng"),
        ]
        return order.first { exists.contains($0.0) }?.1 ?? "unknown"
    }
}

/// `KEY=value` files (os-release, lsb-release) with optional double or single quotes.
enum KeyValueFile {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            var value = line[line.index(after: eq)...].trimmingSpaces
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            values[line[..<eq].trimmingSpaces] = value
        }
        return values
    }
}
