import Crypto

/// Message digests from swift-crypto, for what Ansible compares and prints: `copy`'s SHA-1
/// checksums, the `hash`/`md5`/`sha1`/`checksum` filters, seeded `random`, hashed known_hosts.
public enum Digest {
    public static func md5(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.MD5.hash(data: bytes)) }
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] { Array(Insecure.SHA1.hash(data: bytes)) }
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    public static func sha512(_ bytes: [UInt8]) -> [UInt8] { Array(SHA512.hash(data: bytes)) }

    /// HMAC-SHA1 of `message` under `key` (OpenSSH's hashed known_hosts entries).
    public static func hmacSHA1(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// Lowercase hex, as Python's `hexdigest()` prints it.
    public static func hex(_ digest: [UInt8]) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
