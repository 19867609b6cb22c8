import CapstanBasics

/// What a file program printed: `TAG value` lines, in order, where a `C <n>` line is followed by
/// exactly `n` raw bytes of file content (so content needs no encoding on the way back), and a `C -`
/// line by content that runs to the end of the output (the program's last record: no `wc` needed).
struct FileReport: Sendable {
    /// One record: its tag, the rest of its line, and the bytes that followed a `C` line.
    struct Record: Sendable {
        var tag: String
        var value: String
        var content: [UInt8]?
    }

    var records: [Record] = []

    /// Parses a program's standard output; a truncated content block keeps what arrived.
    init(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            let line = String(decoding: bytes[i..<end], as: UTF8.self)
            i = end + 1
            let tag = String(line.prefix { $0 != " " })
            let value = line.count > tag.count ? String(line.dropFirst(tag.count + 1)) : ""
            var record = Record(tag: tag, value: value)
            if tag == "C", value == "-" {
                record.content = i < bytes.count ? Array(bytes[i...]) : []
                i = bytes.count
            } else if tag == "C", let n = Int(value.trimmingWhitespace()) {
                let stop = min(bytes.count, i + n)
                record.content = i < stop ? Array(bytes[i..<stop]) : []
                i = stop
            }
            records.append(record)
        }
    }

    /// The value of the first record with `tag`.
    func first(_ tag: String) -> String? { records.first { $0.tag == tag }?.value }

    /// The values of every record with `tag`, in order.
    func all(_ tag: String) -> [String] { records.filter { $0.tag == tag }.map(\.value) }

    /// The first content block.
    var content: [UInt8]? { records.first { $0.tag == "C" }?.content }

    /// The first `S` record parsed as a stat line, or nil when the path was absent.
    var state: RemoteFileState? { first("S").flatMap(RemoteFileState.init(statLine:)) }

    /// The node's umask from the `U` record (`0022` when missing).
    var umask: UInt32 { first("U").flatMap { UInt32($0, radix: 8) } ?? 0o022 }

    /// The state a file created now would have (from the `I` record and the umask), so that
    /// `owner`/`group` equal to the connecting user do not count as a change, as in Ansible.
    func creatorState(isDirectory: Bool) -> RemoteFileState? {
        guard let identity = first("I") else { return nil }
        let type: UInt32 = isDirectory ? 0o040000 : 0o100000
        let mode = (isDirectory ? 0o777 : 0o666) & ~umask
        return RemoteFileState(statLine: String(type | mode, radix: 16) + "|0|" + identity + "|0|0|0|0|0|1")
    }

    /// The first error (`E` record) the program reported.
    var error: String? { first("E") }
}
