/// The sh program behind `wait_for`, and the conversions its inputs need. Inputs: host, port, path,
/// regex, state, timeout, ct (connect timeout), delay, pause (Ansible's `sleep`), conn_states (hex
/// TCP states as /proc/net/tcp writes them), excluded (remote addresses in /proc's hex form).
/// Reports `elapsed`, `timeout=1` when time ran out, `line` (the first line `regex` matched), `method`.
enum WaitForProgram {
    /// /proc/net/tcp's hex codes for the state names Ansible accepts.
    static func stateCodes(_ names: [String]) -> String {
        let codes = [
            "ESTABLISHED": "01", "SYN_SENT": "02", "SYN_RECV": "03", "FIN_WAIT1": "04", "FIN_WAIT2": "05",
            "TIME_WAIT": "06", "CLOSE": "07", "CLOSE_WAIT": "08", "LAST_ACK": "09", "LISTEN": "0A", "CLOSING": "0B",
        ]
        return names.compactMap { codes[$0.uppercased()] }.joined(separator: " ")
    }

    /// An IPv4 address as /proc/net/tcp writes it (little-endian hex), or nil for anything else.
    static func procAddress(_ address: String) -> String? {
        let parts = address.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4, address.split(separator: ".").count == 4 else { return nil }
        return parts.reversed().map { String(format: "%02X", $0) }.joined()
    }

    static let body = NodePrograms.waitFor
}
