/// The sh program behind `user`. Inputs: the module's arguments as shell variables (`has_*` flags
/// tell "not given" from empty), check; the password hash, if any, as the first line of standard
/// input. Reports `changed`, `created`, `short` (check mode stopped early, as Ansible's does) and the
/// account afterwards (`uid`, `gid`, `comment`, `home`, `shell`).
enum UserProgram {
    static let body = NodePrograms.user
}
