/// The sh program behind `deb822_repository`. Inputs: state, file (the `.sources` file), key (the
/// keyring path without extension), mode, check, signed (the `signed_by` argument), url (1 when it
/// is a URL), and the file's text for each way `signed_by` may resolve: text_none, text_path (the
/// value as given: an existing path or inline key), text_asc / text_gpg (a downloaded key).
/// Reports `variant`, `key_filename`, `before` (the old file, base64, for diffs) and `changed`.
enum Deb822RepositoryProgram {
    static let body = NodePrograms.deb822Repository
}
