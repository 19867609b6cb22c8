/// Creating the missing parent directories of a file, as `copy` does (`makedirs`, then
/// `directory_mode`, owner and group on each directory it created, none on those that existed).
enum ParentDirectories {
    /// The parent folder of `$p`, as a shell word.
    static let parentOfP = "\"$(dirname -- \"$p\")\""

    /// The call (`mkparents` in `parent-directories.sh`) creating the directory `directory` (a shell
    /// word) and its missing parents; the new directories get `mode` (resolved against `0777 & ~umask`)
    /// and ownership. Fails with an `E` record.
    static func create(_ directory: String = parentOfP, mode: FileMode?, owner: String?, group: String?, umask: UInt32)
        -> String
    {
        let attributes = FileAttributesSpec(mode: mode, owner: owner, group: group)
        let changes = attributes.changes(for: nil, isDirectory: true, umask: umask)
        return "mkparents \(directory) \(changes.shellArguments(noDereference: false))\n"
    }
}
