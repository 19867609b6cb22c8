/// Content checksums as Ansible reports them (lowercase hex), computed on the controller to compare
/// with `sha1sum` on the node. Uses the shared `Digest`.
enum Checksum {
    /// The SHA-1 of `bytes` as 40 lowercase hex digits.
    static func sha1Hex(_ bytes: [UInt8]) -> String {
        Digest.sha1(bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
