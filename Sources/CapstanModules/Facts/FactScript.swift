/// The one POSIX sh program that gathers a host's facts in a single round trip.
///
/// It prints `==name==` section markers, each followed by raw data that `FactOutput` splits and the
/// fact parsers read: whole files come from a single `grep -aHZ '' FILE...` (file name, NUL, line),
/// so one process reads dozens of files. Only sh builtins and coreutils are used besides `getent`,
/// `ip` and `lspci`, which are optional; about seven processes in all, since starting one costs
/// more than reading a file. The `env` section (`export -p`, sh-quoted) comes last because its values
/// may contain anything.
///
/// `CAPSTAN_FACTS_ROOT`, when set, is put in front of every `/proc` and `/sys` path, and `ip` and
/// `lspci` are then not run (they would describe the real host, not the fake tree). Only tests set
/// it; the engine never does.
public enum FactScript {
    /// The environment variable tests use to point `/proc` and `/sys` at a fake tree.
    public static let rootVariable = "CAPSTAN_FACTS_ROOT"

    /// The program for the groups of `subset`.
    public static func program(for subset: GatherSubset) -> String {
        var parts = [prologue]
        if subset.contains(.min) { parts.append(minimal) }
        if subset.contains(.hardware) { parts.append(hardware) }
        if subset.contains(.network) { parts.append(network) }
        if subset.contains(.virtual) { parts.append(virtual) }
        parts.append(files(for: subset))
        if subset.contains(.min) { parts.append(environment) }
        // Missing files make grep exit 2; only a program that could not run at all is a failure.
        parts.append("exit 0")
        return parts.joined(separator: "\n") + "\n"
    }

    /// Files read by the single `grep`, per group.
    static func files(for subset: GatherSubset) -> String {
        var files: [String] = []
        if subset.contains(.min) {
            files += [
                "$P/sys/kernel/hostname", "$P/sys/kernel/osrelease", "$P/sys/kernel/version",
                "$P/sys/kernel/ostype", "$P/sys/kernel/arch", "$P/self/status", "/etc/os-release",
                "/usr/lib/os-release", "/etc/lsb-release",
                "/etc/debian_version", "/etc/machine-id", "/var/lib/dbus/machine-id", "$P/1/comm",
                "$S/fs/selinux/enforce",
            ]
        }
        if subset.contains(.hardware) {
            files += [
                "$P/sys/kernel/arch", "$P/self/status", "$P/cpuinfo", "$P/meminfo", "$P/mounts", "$P/uptime",
                "$S/class/dmi/id/product_uuid",
            ]
        }
        if subset.contains(.network) {
            let perInterface = [
                "address", "mtu", "operstate", "type", "flags", "speed", "bridge/bridge_id", "bridge/stp_state",
                "bonding/mode",
            ]
            files += perInterface.map { "$S/class/net/*/" + $0 }
            // $FIB is empty when `ip` answered.
            files += ["$P/net/route", "$P/net/ipv6_route", "$P/net/if_inet6", "$FIB"]
        }
        if subset.contains(.virtual) {
            files += [
                "$P/1/cgroup", "$P/1/environ", "/run/systemd/container", "$S/class/dmi/id/product_name",
                "$S/class/dmi/id/sys_vendor", "$P/xen/capabilities",
            ]
        }
        var unique: [String] = []
        for file in files where !unique.contains(file) { unique.append(file) }
        return "echo ==files==\ngrep -aHZ '' " + unique.joined(separator: " ") + " 2>/dev/null"
    }

    // The sections, one `facts-*.sh` file each beside this one.
    static let prologue = NodePrograms.factsPrologue
    static let minimal = NodePrograms.factsMinimal
    static let hardware = NodePrograms.factsHardware
    static let network = NodePrograms.factsNetwork
    static let virtual = NodePrograms.factsVirtual
    static let environment = NodePrograms.factsEnvironment
}
