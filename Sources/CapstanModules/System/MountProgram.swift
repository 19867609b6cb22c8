/// The sh program behind `mount`. Inputs: name/ename (path, plain and fstab-escaped), src/esrc,
/// hassrc, fstype/efstype, opts/eopts, dump, passno (escaped), fstab, state, backup, check. Reports
/// `changed` and `backup_file`; fails with Ansible's messages.
enum MountProgram {
    /// Reading and rewriting the fstab: `set_mount` and `unset_mount` write the new text to `$new`
    /// and print 1 when it differs; `commit` installs it (after a backup copy when asked).
    static let fstab = NodePrograms.mountFstab

    /// Mount state and the state machine of Ansible's `main()`.
    static let body = NodePrograms.mount
}
