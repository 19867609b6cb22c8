/// The differences between ansible-playbook and Capstan that the differential test accepts, each with
/// its documented reason. Everything not listed here is a bug to fix.
extension DiffTestLabTests {
    /// Differences with a documented reason. Everything not listed here is a bug.
    static let allowed: [DiffTestAllowance] = {
        let modprobe =
            "community.general.modprobe needs the modprobe executable and /proc/modules on the node before it looks at "
            + "anything, even for a persistent-only change of a module that is not loaded; lab nodes have neither "
            + "(the host kernel has no loadable modules and the image no kmod), so Ansible fails the task (ignored) "
            + "where Capstan, which needs neither for this, writes the persistence files"
        return ["check", "run1", "run2"].map {
            DiffTestAllowance(pass: $0, contains: "modprobe, persistent only", reason: modprobe)
        }
            + [
                DiffTestAllowance(pass: "state", contains: "/etc/modprobe.d", reason: modprobe),
                DiffTestAllowance(pass: "state", contains: "/etc/modules-load.d/dummy.conf", reason: modprobe),
                DiffTestAllowance(
                    pass: "state", contains: "  /etc/apt/trusted.gpg.d/difftest.gpg",
                    reason: "ansible's apt_key runs `apt-key --keyring FILE add`, which writes gpg's keyring format "
                        + "(with gpg's trust packets); Capstan writes the dearmored key. Same key (the `keyring` "
                        + "fingerprint lines are compared), different bytes."),
            ]
    }()
}
