/// The sh program behind `get_url`. Inputs: url, dest, algo/expected (the checksum, expected may be a
/// URL), force, timeout, headers (`Name: value` lines), mode, owner, group, insecure, agent, check,
/// has_creds; with has_creds, curl's `user = "..."` config line on standard input (kept in a 0600
/// temporary file, never in a command line). Reports `changed`,
/// `msg`, `dest`, `status_code`, `checksum_src`, `checksum_dest` (SHA-1, as Ansible), `size`, `mode`,
/// `elapsed`.
enum GetUrlProgram {
    static let body = NodePrograms.getUrl
}
