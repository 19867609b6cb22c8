/// The own programs one resident shell keeps as shell functions. A rerun through a keeper's session
/// (`--ssh-persist`) sends each task's program again, byte for byte: kept as a function, it goes as a
/// call of a few dozen bytes instead of its text (about 3 KB, which the shell parsed twice, as a quoted
/// word and then in `eval`, and which was encrypted, sent and decrypted each time).
///
/// The function runs in the same subshell the text would have: `exit` ends that subshell, and what
/// the program sets stays there. Least recently used functions are dropped past `capacity`.
struct ResidentProgramCache {
    /// The most functions one shell keeps (dash holds each parsed, about twice its text).
    let capacity: Int
    /// Names, least recently used first.
    private var names: [String] = []

    /// Programs longer than this are always sent as text (the shell would keep them for little gain).
    static let largestKept = 32_768

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The function that holds `program`: named after its SHA-256, so that different text never
    /// meets an old definition.
    static func functionName(for program: String) -> String {
        "capstan_p_" + Digest.hex(Array(Digest.sha256(Array(program.utf8)).prefix(16)))
    }

    /// How to send `program` now, and the functions the shell should forget first.
    mutating func form(for program: String) -> (form: ResidentShellScript.ProgramForm, forget: [String]) {
        guard capacity > 0, program.utf8.count <= Self.largestKept else { return (.inline, []) }
        let name = Self.functionName(for: program)
        if let index = names.firstIndex(of: name) {
            names.append(names.remove(at: index))
            return (.call(name), [])
        }
        names.append(name)
        return (.define(name), names.count > capacity ? [names.removeFirst()] : [])
    }

    /// Forgets `name`: its definition may have failed (the call then exits 127, "not found"), so the
    /// next use sends the text again.
    mutating func drop(_ name: String) {
        names.removeAll { $0 == name }
    }
}
