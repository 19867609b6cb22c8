import CapstanBasics
import CapstanTransport
import Crypto
import Foundation

/// Content checksums as Ansible reports them (lowercase hex), computed on the controller to compare
/// with `sha1sum`/`md5sum` on the node. Uses the package's one digest implementation (`Digest`) for
/// bytes in memory, and swift-crypto's incremental hashes for controller files, which are read a
/// chunk at a time so that a large file is never held in memory.
enum Checksum {
    /// The SHA-1 of `bytes` as 40 lowercase hex digits (`checksum` in copy/fetch results).
    static func sha1Hex(_ bytes: [UInt8]) -> String { Digest.hex(Digest.sha1(bytes)) }

    /// The MD5 of `bytes` as 32 lowercase hex digits (`md5sum` in copy/fetch results).
    static func md5Hex(_ bytes: [UInt8]) -> String { Digest.hex(Digest.md5(bytes)) }

    /// The SHA-1 of the controller file at `path`.
    static func sha1Hex(file path: String) throws -> String {
        var hash = Insecure.SHA1()
        try LocalFiles.forEachChunk(of: path) { hash.update(data: $0) }
        return Digest.hex(Array(hash.finalize()))
    }

    /// The MD5 of the controller file at `path`.
    static func md5Hex(file path: String) throws -> String {
        var hash = Insecure.MD5()
        try LocalFiles.forEachChunk(of: path) { hash.update(data: $0) }
        return Digest.hex(Array(hash.finalize()))
    }
}
