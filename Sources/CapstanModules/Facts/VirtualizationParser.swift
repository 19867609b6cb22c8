import Foundation

/// Reads the `virtual` group with the container checks of Ansible's Linux collector, in its order
/// (PID 1's cgroup, PID 1's `container=` variable, OpenVZ, systemd's container file, Docker's marker
/// files), then Xen, a best-effort VM check from DMI names, and `/dev/kvm` (a KVM host). The first finding sets type and role.
enum VirtualizationParser {
    /// DMI product or vendor names that mean a hypervisor, and the type Ansible reports for them.
    static let dmiGuests: [(needle: String, type: String)] = [
        ("KVM", "kvm"), ("QEMU", "kvm"), ("OpenStack", "openstack"), ("VMware", "VMware"),
        ("VirtualBox", "virtualbox"), ("Amazon EC2", "kvm"), ("Google", "kvm"), ("Microsoft Corporation", "VirtualPC"),
        ("Parallels", "parallels"), ("RHEV Hypervisor", "RHEV"), ("Bochs", "kvm"), ("BHYVE", "bhyve"),
    ]

    static func parse(_ output: FactOutput) -> VirtualizationFacts {
        var facts = VirtualizationFacts(type: "NA", role: "NA", guestTech: [], hostTech: [])
        var found = false
        func guest(_ tech: String, type: String? = nil) {
            if !facts.guestTech.contains(tech) { facts.guestTech.append(tech) }
            if !found {
                facts.type = type ?? tech
                facts.role = "guest"
                found = true
            }
        }
        let exists = Set(output.lines("virt-exists"))
        for line in (output.file("/proc/1/cgroup") ?? "").split(separator: "\n") {
            if line.range(of: #"/docker(/|-[0-9a-f]+\.scope)"#, options: .regularExpression) != nil { guest("docker") }
            if line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc") { guest("lxc") }
            if line.contains("/system.slice/containerd.service") { guest("containerd") }
        }
        let environ = (output.file("/proc/1/environ") ?? "").split(separator: "\0")
        for variable in environ {
            if variable.contains("container=lxc") { guest("lxc") }
            if variable.contains("container=podman") { guest("podman") }
            if variable.hasPrefix("container="), variable.count > "container=".count { guest("container") }
        }
        if exists.contains("/proc/vz") && !exists.contains("/proc/lve") {
            facts.type = "openvz"
            if exists.contains("/proc/bc") {
                facts.hostTech.append("openvz")
                if !found { facts.role = "host" }
            } else {
                if !facts.guestTech.contains("openvz") { facts.guestTech.append("openvz") }
                if !found { facts.role = "guest" }
            }
            found = true
        }
        let systemdContainer = output.firstLine("/run/systemd/container")
        if let systemdContainer { guest(systemdContainer) }
        if exists.contains("/.dockerenv") || exists.contains("/.dockerinit") { guest("docker") }
        let containers: Set<String> = ["docker", "lxc", "podman", "openvz", "containerd"]
        if (!containers.isDisjoint(with: facts.guestTech) || systemdContainer != nil)
            && !facts.guestTech.contains("container")
        {
            facts.guestTech.append("container")
        }
        if exists.contains("/proc/xen") {
            if output.file("/proc/xen/capabilities")?.contains("control_d") == true {
                facts.hostTech.append("xen")
                if !found { (facts.type, facts.role, found) = ("xen", "host", true) }
            } else {
                guest("xen")
            }
        }
        let dmi = [
            output.firstLine("/sys/class/dmi/id/product_name"), output.firstLine("/sys/class/dmi/id/sys_vendor"),
        ]
        .compactMap { $0 }
        if let hit = dmiGuests.first(where: { entry in dmi.contains { $0.contains(entry.needle) } }) {
            guest(hit.type)
        }
        if exists.contains("/dev/kvm") {
            facts.hostTech.append("kvm")
            if !found { (facts.type, facts.role, found) = ("kvm", "host", true) }
        }
        return facts
    }
}
