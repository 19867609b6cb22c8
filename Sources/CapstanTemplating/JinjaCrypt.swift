import CapstanBasics
import Foundation

/// The crypt(3) password hashes `password_hash` makes, byte for byte as passlib makes them:
/// SHA-512 and SHA-256 crypt (Drepper's algorithm, `$6$`/`$5$`, 656000 and 535000 rounds unless
/// told) and MD5 crypt (`$1$`). Without a salt, a random one of passlib's default length.
struct JinjaCrypt {
    enum Scheme: String {
        case sha512 = "sha512_crypt", sha256 = "sha256_crypt", md5 = "md5_crypt"
    }

    static let alphabet = Array("./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    let scheme: Scheme

    init(scheme name: String) throws {
        let aliases = ["md5": "md5_crypt", "blowfish": "bcrypt", "sha256": "sha256_crypt", "sha512": "sha512_crypt"]
        let full = aliases[name] ?? name
        guard aliases.keys.contains(name) || aliases.values.contains(full) else {
            throw TemplateError(
                "\(name) is not in the list of supported passlib algorithms: md5, blowfish, sha256, sha512")
        }
        guard let scheme = Scheme(rawValue: full) else {
            throw TemplateError("password_hash: \(full) is not supported by Capstan (sha512, sha256 and md5 are)")
        }
        self.scheme = scheme
    }

    /// `saltSize` is the length of a generated salt (passlib's default, the longest, when nil).
    func hash(_ password: String, salt given: String?, saltSize: Int? = nil, rounds asked: Int?) throws -> String {
        let maxSalt = scheme == .md5 ? 8 : 16
        func failure(_ why: String) -> TemplateError { TemplateError("Could not hash the secret: \(why)") }
        let size = saltSize ?? maxSalt
        guard size <= maxSalt else {
            throw failure("\(scheme.rawValue): salt_size (\(size)) above max_salt_size (\(maxSalt))")
        }
        let salt = given ?? String((0..<max(size, 0)).map { _ in Self.alphabet.randomElement()! })
        guard salt.count <= maxSalt else {
            throw failure("salt too large (\(scheme.rawValue) requires <= \(maxSalt) chars)")
        }
        guard salt.allSatisfy(Self.alphabet.contains) else {
            throw failure("invalid characters in \(scheme.rawValue) salt")
        }
        if scheme == .md5 {
            guard asked == nil else { throw failure("md5_crypt does not take rounds") }
            return md5Crypt(Array(password.utf8), salt: Array(salt.utf8))
        }
        let rounds = asked ?? (scheme == .sha512 ? 656_000 : 535_000)
        guard rounds >= 1000 else {
            throw failure("\(scheme.rawValue): min_desired_rounds (\(rounds)) is too low, must be at least 1000")
        }
        guard rounds <= 999_999_999 else {
            throw failure("rounds too high (\(scheme.rawValue) requires <= 999999999 rounds)")
        }
        return shaCrypt(Array(password.utf8), salt: Array(salt.utf8), rounds: rounds)
    }

    /// Drepper's SHA-crypt.
    private func shaCrypt(_ p: [UInt8], salt s: [UInt8], rounds: Int) -> String {
        let digest: ([UInt8]) -> [UInt8] = scheme == .sha512 ? Digest.sha512 : Digest.sha256
        let n = scheme == .sha512 ? 64 : 32
        let b = digest(p + s + p)
        var a = p + s + Self.repeated(b, to: p.count)
        var length = p.count
        while length > 0 {
            a += length & 1 == 1 ? b : p
            length >>= 1
        }
        var c = digest(a)
        let pBytes = Self.repeated(digest(Array([[UInt8]](repeating: p, count: p.count).joined())), to: p.count)
        let sBytes = Self.repeated(
            digest(Array([[UInt8]](repeating: s, count: 16 + Int(c[0])).joined())), to: s.count)
        var block: [UInt8] = []
        block.reserveCapacity(2 * n + pBytes.count * 2 + sBytes.count)
        for i in 0..<rounds {
            block.removeAll(keepingCapacity: true)
            block += i & 1 == 1 ? pBytes : c
            if i % 3 != 0 { block += sBytes }
            if i % 7 != 0 { block += pBytes }
            block += i & 1 == 1 ? c : pBytes
            c = digest(block)
        }
        let ident = scheme == .sha512 ? "$6$" : "$5$"
        let roundsText = rounds == 5000 ? "" : "rounds=\(rounds)$"
        var out = ident + roundsText + String(decoding: s, as: UTF8.self) + "$"
        if scheme == .sha512 {
            for i in 0..<21 { out += Self.encode(c[i], c[(i + 21) % 63], c[(i + 42) % 63], order: i) }
            out += Self.base64(0, 0, c[63], count: 2)
        } else {
            for i in 0..<10 { out += Self.encode(c[i], c[(i + 10) % 30], c[(i + 20) % 30], order: i, sha256: true) }
            out += Self.base64(0, c[31], c[30], count: 3)
        }
        return out
    }

    /// The triplet the SHA-crypt output takes at step `i`: its three bytes rotate by step.
    /// (SHA-256 turns the other way.)
    private static func encode(_ x: UInt8, _ y: UInt8, _ z: UInt8, order i: Int, sha256: Bool = false) -> String {
        switch (i % 3, sha256) {
        case (0, _): return base64(x, y, z, count: 4)
        case (1, false), (2, true): return base64(y, z, x, count: 4)
        default: return base64(z, x, y, count: 4)
        }
    }

    /// Poul-Henning Kamp's MD5 crypt.
    private func md5Crypt(_ p: [UInt8], salt s: [UInt8]) -> String {
        let magic = Array("$1$".utf8)
        var final = Digest.md5(p + s + p)
        var ctx = p + magic + s
        var remaining = p.count
        while remaining > 0 {
            ctx += final.prefix(min(remaining, 16))
            remaining -= 16
        }
        var i = p.count
        while i > 0 {
            ctx.append(i & 1 == 1 ? 0 : (p.first ?? 0))
            i >>= 1
        }
        final = Digest.md5(ctx)
        for round in 0..<1000 {
            var block = round & 1 == 1 ? p : final
            if round % 3 != 0 { block += s }
            if round % 7 != 0 { block += p }
            block += round & 1 == 1 ? final : p
            final = Digest.md5(block)
        }
        var out = "$1$" + String(decoding: s, as: UTF8.self) + "$"
        for (a, b, c) in [(0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5)] {
            out += Self.base64(final[a], final[b], final[c], count: 4)
        }
        out += Self.base64(0, 0, final[11], count: 2)
        return out
    }

    private static func repeated(_ bytes: [UInt8], to count: Int) -> [UInt8] {
        (0..<count).map { bytes[$0 % bytes.count] }
    }

    /// crypt's base-64: the 24-bit group low six bits first.
    private static func base64(_ b2: UInt8, _ b1: UInt8, _ b0: UInt8, count: Int) -> String {
        var w = Int(b2) << 16 | Int(b1) << 8 | Int(b0)
        var out = ""
        for _ in 0..<count {
            out.append(alphabet[w & 0x3f])
            w >>= 6
        }
        return out
    }
}
