import CapstanBasics
import Collections

/// Ansible's names and shapes for typed facts: the edge where templates and `register:` see them.
extension HostFacts {
    /// The facts as Ansible's `setup` module returns them in `ansible_facts`: `ansible_`-prefixed
    /// names (plus `capstan_gpus`, `gather_subset`, `module_setup`), sorted by name like Ansible's JSON.
    public var ansibleFacts: OrderedDictionary<String, Value> {
        var facts = OrderedDictionary<String, Value>()
        if let system { AnsibleSystemFacts.add(system, to: &facts) }
        if let hardware { AnsibleHardwareFacts.add(hardware, to: &facts) }
        if let network { AnsibleNetworkFacts.add(network, to: &facts) }
        if let virtualization {
            facts["ansible_virtualization_type"] = .string(virtualization.type)
            facts["ansible_virtualization_role"] = .string(virtualization.role)
            facts["ansible_virtualization_tech_guest"] = .list(virtualization.guestTech.map(Value.string))
            facts["ansible_virtualization_tech_host"] = .list(virtualization.hostTech.map(Value.string))
        }
        facts["gather_subset"] = .list(subset.spec.map(Value.string))
        facts["module_setup"] = true
        facts.sort { $0.key < $1.key }
        return facts
    }

    /// The host variables facts become (Ansible's `INJECT_FACTS_AS_VARS`): every prefixed name at the
    /// top level, and `ansible_facts` holding the same facts without the prefix.
    public var variables: OrderedDictionary<String, Value> {
        var variables = ansibleFacts
        variables["ansible_facts"] = .dict(Self.withoutPrefix(variables))
        return variables
    }

    /// `ansible_hostname` → `hostname`; names without the prefix stay as they are.
    public static func withoutPrefix(_ facts: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var result = OrderedDictionary<String, Value>()
        for (name, value) in facts {
            result[name.hasPrefix("ansible_") ? String(name.dropFirst("ansible_".count)) : name] = value
        }
        return result
    }
}

/// The `min` group under Ansible's names.
enum AnsibleSystemFacts {
    static func add(_ s: SystemFacts, to facts: inout OrderedDictionary<String, Value>) {
        facts["ansible_hostname"] = .string(s.hostname)
        facts["ansible_nodename"] = .string(s.nodename)
        facts["ansible_fqdn"] = .string(s.fqdn)
        facts["ansible_domain"] = .string(s.domain)
        facts["ansible_system"] = .string(s.system)
        facts["ansible_kernel"] = .string(s.kernel)
        facts["ansible_kernel_version"] = .string(s.kernelVersion)
        facts["ansible_machine"] = .string(s.machine)
        facts["ansible_architecture"] = .string(architecture(s.machine))
        let d = s.distribution
        facts["ansible_distribution"] = .string(d.name)
        facts["ansible_distribution_version"] = .string(d.version)
        facts["ansible_distribution_major_version"] = .string(d.majorVersion)
        if let minor = d.minorVersion { facts["ansible_distribution_minor_version"] = .string(minor) }
        facts["ansible_distribution_release"] = .string(d.release)
        facts["ansible_os_family"] = .string(d.osFamily)
        // Ansible always sets `lsb`, empty when neither lsb_release nor /etc/lsb-release exists.
        facts["ansible_lsb"] = [:]
        if let lsb = s.lsb {
            facts["ansible_lsb"] = [
                "codename": .string(lsb.codename), "description": .string(lsb.description), "id": .string(lsb.id),
                "major_release": .string(lsb.majorRelease), "release": .string(lsb.release),
            ]
        }
        facts["ansible_env"] = .dict(OrderedDictionary(uniqueKeysWithValues: s.environment.map { ($0, .string($1)) }))
        let u = s.user
        facts["ansible_user_id"] = .string(u.name)
        facts["ansible_user_dir"] = .string(u.home)
        facts["ansible_user_uid"] = .int(u.uid)
        facts["ansible_user_gid"] = .int(u.gid)
        facts["ansible_user_shell"] = .string(u.shell)
        facts["ansible_user_gecos"] = .string(u.gecos)
        facts["ansible_real_user_id"] = .int(u.realUID)
        facts["ansible_effective_user_id"] = .int(u.effectiveUID)
        facts["ansible_real_group_id"] = .int(u.realGID)
        facts["ansible_effective_group_id"] = .int(u.effectiveGID)
        facts["ansible_date_time"] = .dict(dateTime(s.clock))
        facts["ansible_service_mgr"] = .string(s.serviceManager)
        facts["ansible_pkg_mgr"] = .string(s.packageManager)
        if let id = s.machineID { facts["ansible_machine_id"] = .string(id) }
        if let mode = s.selinuxMode {
            facts["ansible_selinux"] = ["status": "enabled", "mode": .string(mode)]
        } else {
            facts["ansible_selinux"] = ["status": "disabled"]
        }
    }

    /// Ansible reports 32-bit x86 as `i386`; everything else as `uname -m` says.
    static func architecture(_ machine: String) -> String {
        ["i386", "i486", "i586", "i686"].contains(machine) ? "i386" : machine
    }

    /// Ansible's `date_time`: local fields as the host printed them, `iso8601*` in UTC.
    static func dateTime(_ c: HostClock) -> OrderedDictionary<String, Value> {
        let utc = CivilTime(epoch: c.epoch)
        let micro = sixDigits(c.nanoseconds / 1000)
        return [
            "year": .string(c.year), "month": .string(c.month), "weekday": .string(c.weekday),
            "weekday_number": .string(c.weekdayNumber), "weeknumber": .string(c.weekNumber), "day": .string(c.day),
            "hour": .string(c.hour), "minute": .string(c.minute), "second": .string(c.second),
            "epoch": .string(String(c.epoch)), "epoch_int": .string(String(c.epoch)),
            "date": .string("\(c.year)-\(c.month)-\(c.day)"), "time": .string("\(c.hour):\(c.minute):\(c.second)"),
            "iso8601_micro": .string(utc.iso8601 + "." + micro + "Z"), "iso8601": .string(utc.iso8601 + "Z"),
            "iso8601_basic": .string("\(c.year)\(c.month)\(c.day)T\(c.hour)\(c.minute)\(c.second)\(micro)"),
            "iso8601_basic_short": .string("\(c.year)\(c.month)\(c.day)T\(c.hour)\(c.minute)\(c.second)"),
            "tz": .string(c.tz), "tz_offset": .string(c.tzOffset),
        ]
    }
}

/// A UTC calendar time from seconds since the epoch (Howard Hinnant's days-to-civil algorithm).
struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(epoch: Int) {
        let days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400
        let secs = epoch - days * 86400
        (hour, minute, second) = (secs / 3600, secs % 3600 / 60, secs % 60)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `2026-11-22T17:05:49`.
    var iso8601: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
    }
}

/// `value` in six digits, zero-padded (microseconds).
func sixDigits(_ value: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}
