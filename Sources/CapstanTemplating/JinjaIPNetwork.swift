import Foundation

/// An address with a prefix length, as netaddr's `IPNetwork` holds one: `10.0.0.5/24` keeps the
/// host bits. Parsing and printing go through the C library's `inet_pton`/`inet_ntop`, as netaddr's
/// do, so what one accepts and how IPv6 is shortened agree.
struct JinjaIPNetwork: Equatable {
    var version: Int
    var ip: UInt128
    var prefix: Int

    var width: Int { version == 4 ? 32 : 128 }
    var maxValue: UInt128 { version == 4 ? UInt128(UInt32.max) : UInt128.max }
    var hostmask: UInt128 { prefix >= width ? 0 : (maxValue >> UInt128(prefix)) }
    var netmask: UInt128 { maxValue ^ hostmask }
    var network: UInt128 { ip & netmask }
    var last: UInt128 { network | hostmask }
    /// netaddr's `broadcast`: none for networks of one or two addresses.
    var broadcast: UInt128? { width - prefix <= 1 ? nil : last }
    /// How many addresses; nil when it does not fit (an IPv6 `/0`).
    var size: UInt128? { width - prefix >= 128 ? nil : UInt128(1) << UInt128(width - prefix) }
    func sizeIs(_ n: UInt128) -> Bool { size == n }
    var sizeAbove1: Bool { prefix < width }

    /// `addr`, `addr/prefix`, or (IPv4) `addr/netmask` or `addr/hostmask`; nil when invalid.
    init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let (version, ip) = Self.address(parts[0]) else { return nil }
        self.version = version
        self.ip = ip
        let width = version == 4 ? 32 : 128
        prefix = width
        guard parts.count == 2 else { return }
        if let n = Int(parts[1].trimmingCharacters(in: .whitespaces)), (0...width).contains(n) {
            prefix = n
        } else if let (maskVersion, mask) = Self.address(parts[1]), maskVersion == version,
            let bits = Self.maskBits(mask, width: width)
        {
            prefix = bits
        } else {
            return nil
        }
    }

    init(version: Int, ip: UInt128, prefix: Int) {
        self.version = version
        self.ip = ip
        self.prefix = prefix
    }

    /// The prefix length a netmask (`255.255.255.0`) or hostmask (`0.0.0.255`) stands for.
    private static func maskBits(_ mask: UInt128, width: Int) -> Int? {
        let all: UInt128 = width == 32 ? UInt128(UInt32.max) : UInt128.max
        let ones = mask.nonzeroBitCount
        let asNetmask = ones == 0 ? 0 : (all ^ (all >> UInt128(ones)))
        if mask == asNetmask { return ones }
        if mask == (ones == 0 ? 0 : all >> UInt128(width - ones)) { return width - ones }
        return nil
    }

    /// An IPv4 or IPv6 address's version and value.
    static func address(_ text: String) -> (Int, UInt128)? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return (4, UInt128(UInt32(bigEndian: v4.s_addr))) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        return (6, bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })
    }

    /// The address `value` of this network's version as text.
    func format(_ value: UInt128) -> String {
        if version == 4 {
            return (0..<4).map { String((value >> UInt128(24 - 8 * $0)) & 0xff) }.joined(separator: ".")
        }
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { buffer in
            for i in 0..<16 { buffer[i] = UInt8((value >> UInt128(120 - 8 * i)) & 0xff) }
        }
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = inet_ntop(AF_INET6, &raw, &out, socklen_t(out.count))
        return String(cString: out)
    }

    var ipText: String { format(ip) }
    /// netaddr's `str(network)`: the address with its prefix.
    var text: String { "\(ipText)/\(prefix)" }

    func contains(_ address: UInt128, version: Int) -> Bool {
        version == self.version && address & netmask == network
    }

    static func cidr(_ text: String) -> JinjaIPNetwork { JinjaIPNetwork(parsing: text)! }

    static let ipv4NotGlobal = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.0.170/31", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
    ].map(cidr)
    static let ipv4GlobalExceptions = ["192.0.0.9/32", "192.0.0.10/32"].map(cidr)
    static let ipv6NotGlobal = [
        "::1/128", "::/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
        "2002::/16", "fc00::/7", "fe80::/10",
    ].map(cidr)
    static let ipv6GlobalExceptions = [
        "2001:1::1/128", "2001:1::2/128", "2001:3::/32", "2001:4:112::/48", "2001:20::/28", "2001:30::/28",
    ].map(cidr)

    /// netaddr's `IPAddress.is_global()` for the address part.
    var isGlobal: Bool {
        let (blocked, allowed) =
            version == 4
            ? (Self.ipv4NotGlobal, Self.ipv4GlobalExceptions) : (Self.ipv6NotGlobal, Self.ipv6GlobalExceptions)
        return !blocked.contains { $0.contains(ip, version: version) }
            || allowed.contains { $0.contains(ip, version: version) }
    }
    var isMulticast: Bool { Self.cidr(version == 4 ? "224.0.0.0/4" : "ff00::/8").contains(ip, version: version) }
    var isLoopback: Bool { Self.cidr(version == 4 ? "127.0.0.0/8" : "::1/128").contains(ip, version: version) }
    var isHostmask: Bool { (ip &+ 1) & ip == 0 }
    var isNetmask: Bool {
        let inverted = (ip ^ maxValue) &+ 1
        return inverted & (inverted &- 1) == 0
    }
}
