import CapstanBasics

/// The digests the `hash`, `md5`, `sha1` and `checksum` filters name, by Python's hashlib names.
enum JinjaDigest {
    /// The lowercase hex digest of `bytes`, or nil for an algorithm Capstan does not offer.
    static func hex(_ algorithm: String, _ bytes: [UInt8]) -> String? {
        let digest: [UInt8]
        switch algorithm {
        case "md5": digest = Digest.md5(bytes)
        case "sha1": digest = Digest.sha1(bytes)
        case "sha256": digest = Digest.sha256(bytes)
        case "sha512": digest = Digest.sha512(bytes)
        default: return nil
        }
        return Digest.hex(digest)
    }

    static func sha1(_ bytes: [UInt8]) -> [UInt8] { Digest.sha1(bytes) }
}
