import CapstanBasics

/// The own programs one resident shell keeps as shell functions. A rerun through a keeper's session
/// (`--ssh-persist`) sends each task's program again, byte for byte: kept as a function, it goes as a
/// call of a few dozen bytes instead of its text (about 3 KB, which the shell parsed twice, as a quoted
/// word and then in `eval`, and which was encrypted, sent and decrypted each time).
///
/// The function runs in the same subshell the text would have: `exit` ends that subshell, and what
/// the program sets stays there. What the shell keeps makes each of its forks dearer (a dash holding
/// 64 KB of functions forks 20 µs slower on a lab node, 1 MB 200 µs), so the kept text is bounded in
/// bytes (`budget`), least recently used programs dropped first; a program that misses costs what
/// sending its text did.
struct ResidentProgramCache {
    /// The most program text, in bytes, the functions may hold together.
    let budget: Int
    /// Kept programs, least recently used first.
    private var kept: [(name: String, bytes: Int)] = []
    private var total = 0

    /// Programs longer than this are always sent as text (one would push out many others).
    static let largestKept = 16_384

    init(budget: Int) {
        self.budget = budget
    }

    /// The function that holds `program`: named after its SHA-256, so that different text never
    /// meets an old definition.
    static func functionName(for program: String) -> String {
        "capstan_p_" + Digest.hex(Array(Digest.sha256(Array(program.utf8)).prefix(16)))
    }

    /// How to send `program` now, and the functions the shell should forget first.
    mutating func form(for program: String) -> (form: ResidentShellScript.ProgramForm, forget: [String]) {
        let bytes = program.utf8.count
        guard bytes <= min(Self.largestKept, budget) else { return (.inline, []) }
        let name = Self.functionName(for: program)
        if let index = kept.firstIndex(where: { $0.name == name }) {
            kept.append(kept.remove(at: index))
            return (.call(name), [])
        }
        var forget: [String] = []
        while total + bytes > budget, !kept.isEmpty {
            let oldest = kept.removeFirst()
            total -= oldest.bytes
            forget.append(oldest.name)
        }
        kept.append((name, bytes))
        total += bytes
        return (.define(name), forget)
    }

    /// Forgets `name`: its definition may have failed (the call then exits 127, "not found"), so the
    /// next use sends the text again.
    mutating func drop(_ name: String) {
        guard let index = kept.firstIndex(where: { $0.name == name }) else { return }
        total -= kept.remove(at: index).bytes
    }
}
