/// Names of POSIX signals as SSH's `exit-signal` message carries them (no `SIG` prefix), with Linux numbers.
enum SignalNames {
    private static let table: [(String, Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("BUS", 7), ("FPE", 8),
        ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12), ("PIPE", 13), ("ALRM", 14), ("TERM", 15),
        ("CHLD", 17), ("CONT", 18), ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22), ("URG", 23),
        ("XCPU", 24), ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29), ("PWR", 30),
        ("SYS", 31),
    ]

    /// The name for a signal number, e.g. 9 -> "KILL"; unknown numbers become "SIG<n>".
    static func name(of number: Int32) -> String {
        table.first { $0.1 == number }?.0 ?? "SIG\(number)"
    }

    /// The number for a name with or without the `SIG` prefix.
    static func number(of name: String) -> Int32? {
        let bare = name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name
        return table.first { $0.0 == bare }?.1
    }
}
