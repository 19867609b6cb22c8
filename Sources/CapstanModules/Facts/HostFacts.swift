import Collections

/// What one host is, as read by `FactGatherer`: typed values the engine can use directly (the
/// distribution, the default address, the GPUs). Ansible's names and shapes exist only at the edge,
/// in `ansibleFacts` (for templates and `register:`). A group that was not gathered is `nil`.
public struct HostFacts: Sendable, Hashable {
    /// The `gather_subset` the facts were gathered with.
    public var subset: GatherSubset
    /// Ansible's minimal set (`min`): platform, distribution, user, environment, clock, managers.
    public var system: SystemFacts?
    /// Processors, memory, mounts, uptime, GPUs (`hardware`).
    public var hardware: HardwareFacts?
    /// Interfaces and default routes (`network`).
    public var network: NetworkFacts?
    /// Virtualization (`virtual`).
    public var virtualization: VirtualizationFacts?

    /// Creates facts; groups not gathered stay `nil`.
    public init(
        subset: GatherSubset, system: SystemFacts? = nil, hardware: HardwareFacts? = nil,
        network: NetworkFacts? = nil, virtualization: VirtualizationFacts? = nil
    ) {
        self.subset = subset
        self.system = system
        self.hardware = hardware
        self.network = network
        self.virtualization = virtualization
    }
}

/// The `min` group.
public struct SystemFacts: Sendable, Hashable {
    /// The kernel's node name (`uname -n`).
    public var nodename: String
    /// The fully qualified name as Python's `socket.getfqdn()` finds it.
    public var fqdn: String
    /// `Linux`.
    public var system: String
    /// The kernel release (`uname -r`).
    public var kernel: String
    /// The kernel build string (`uname -v`).
    public var kernelVersion: String
    /// The machine hardware name (`uname -m`).
    public var machine: String
    /// Which distribution, and which release of it.
    public var distribution: Distribution
    /// What `lsb_release` would say, when it is installed.
    public var lsb: LSBRelease?
    /// The user the facts were gathered as.
    public var user: UserFacts
    /// The host's clock when the program ran.
    public var clock: HostClock
    /// The environment the program ran with, in the order `env` printed it.
    public var environment: OrderedDictionary<String, String>
    /// `systemd`, `sysvinit`, `openrc`, ... (what PID 1 is).
    public var serviceManager: String
    /// `apt`, `dnf`, `yum`, ... or `unknown`.
    public var packageManager: String
    /// `/etc/machine-id`, when present.
    public var machineID: String?
    /// SELinux's mode, `nil` when it is not enabled.
    public var selinuxMode: String?

    /// The host name: the node name up to its first dot.
    public var hostname: String { String(nodename.split(separator: ".", omittingEmptySubsequences: false)[0]) }
    /// The DNS domain: the fqdn after its first dot, or empty.
    public var domain: String {
        guard let dot = fqdn.firstIndex(of: ".") else { return "" }
        return String(fqdn[fqdn.index(after: dot)...])
    }
}

/// A distribution and release, with Ansible's spellings (`Debian`, `12.11`, `bookworm`).
public struct Distribution: Sendable, Hashable {
    /// `Debian`, `Ubuntu`, `RedHat`, ...
    public var name: String
    /// `12.11`.
    public var version: String
    /// `12`.
    public var majorVersion: String
    /// `11`, when the version has a second part.
    public var minorVersion: String?
    /// The code name (`bookworm`), or Ansible's `NA`.
    public var release: String
    /// The family (`Debian` for Ubuntu too, `RedHat` for Rocky...).
    public var osFamily: String
}

/// `lsb_release -a`'s answers.
public struct LSBRelease: Sendable, Hashable {
    /// `Distributor ID`: `Debian`.
    public var id: String
    /// `Description`: `Debian GNU/Linux 12 (bookworm)`.
    public var description: String
    /// `Release`: `12`.
    public var release: String
    /// `Codename`: `bookworm`.
    public var codename: String
    /// The release up to its first dot.
    public var majorRelease: String { String(release.split(separator: ".", omittingEmptySubsequences: false)[0]) }
}

/// The remote user: who the facts were gathered as and that user's account.
public struct UserFacts: Sendable, Hashable {
    /// The login name (`$LOGNAME`, `$USER`, or the effective user's name).
    public var name: String
    /// The account's uid and primary gid (from the passwd entry).
    public var uid: Int, gid: Int
    /// The account's home directory.
    public var home: String
    /// The account's login shell.
    public var shell: String
    /// The account's comment field (full name).
    public var gecos: String
    /// The ids the fact program actually ran with (they differ from the account's under sudo).
    public var realUID: Int, effectiveUID: Int, realGID: Int, effectiveGID: Int
}

/// The host's clock: the instant and the local calendar fields `date` printed.
public struct HostClock: Sendable, Hashable {
    /// Seconds since the epoch.
    public var epoch: Int
    /// Nanoseconds within the second.
    public var nanoseconds: Int
    /// Local `YYYY`, `MM`, `DD`, `HH`, `MM`, `SS` as printed.
    public var year: String, month: String, day: String, hour: String, minute: String, second: String
    /// `+0000`.
    public var tzOffset: String
    /// `UTC`, `CET`, ...
    public var tz: String
    /// `Sunday`.
    public var weekday: String
    /// `0` for Sunday.
    public var weekdayNumber: String
    /// The week of the year, weeks starting on Monday (`%W`).
    public var weekNumber: String
}
