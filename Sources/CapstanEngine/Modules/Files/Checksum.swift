/// Content checksums as Ansible reports them (lowercase hex), computed on the controller to compare
/// with `sha1sum`/`md5sum` on the node. Uses the package's one digest implementation (`Digest`).
enum Checksum {
    /// The SHA-1 of `bytes` as 40 lowercase hex digits (`checksum` in copy/fetch results).
    static func sha1Hex(_ bytes: [UInt8]) -> String { Digest.hex(Digest.sha1(bytes)) }

    /// The MD5 of `bytes` as 32 lowercase hex digits (`md5sum` in copy/fetch results).
    static func md5Hex(_ bytes: [UInt8]) -> String { Digest.hex(Digest.md5(bytes)) }
}
