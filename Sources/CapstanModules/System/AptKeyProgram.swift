/// The sh program behind `apt_key`. Inputs: id (upper-case hex, may be empty), url, file, has_data
/// (the key is on standard input), keyring, state, check, insecure. Reports `id` (the wanted key's
/// id), `before` (a fingerprint already present, one per key), `keyring` (the file written) and
/// `changed`.
enum AptKeyProgram {
    static let body = NodePrograms.aptKey
}
