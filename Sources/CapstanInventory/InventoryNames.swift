/// Ansible's rules for names in inventories.
enum InventoryNames {
    /// Characters that make a group name an invalid Python identifier (Ansible's
    /// `INVALID_VARIABLE_NAMES`: a leading digit, or any non-word character), in order, once each.
    static func invalidGroupCharacters(_ name: String) -> [String] {
        var found: [String] = []
        for (offset, c) in name.enumerated() {
            let isWord = c.isLetter || c.isNumber || c == "_"
            if !isWord || (offset == 0 && c.isNumber), !found.contains(String(c)) { found.append(String(c)) }
        }
        return found
    }

    /// Names Ansible treats as the local machine (`C.LOCALHOST`).
    static let localhost: Set<String> = ["127.0.0.1", "localhost", "::1"]
}
