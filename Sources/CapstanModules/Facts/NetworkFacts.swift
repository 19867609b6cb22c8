/// The `network` group.
public struct NetworkFacts: Sendable, Hashable {
    /// Every interface, sorted by name.
    public var interfaces: [NetworkInterface]
    /// Where traffic to the IPv4 internet would leave, if there is a route.
    public var defaultIPv4: DefaultRoute?
    /// Where traffic to the IPv6 internet would leave, if there is a route.
    public var defaultIPv6: DefaultRoute?

    /// The interface named `device`.
    public func interface(_ device: String) -> NetworkInterface? { interfaces.first { $0.device == device } }

    /// Every IPv4 address except loopback ones, interface by interface.
    public var allIPv4Addresses: [String] {
        interfaces.flatMap { i in ([i.ipv4].compactMap { $0 } + i.ipv4Secondaries).map(\.address) }
            .filter { !$0.hasPrefix("127.") }
    }

    /// Every IPv6 address except `::1`.
    public var allIPv6Addresses: [String] {
        interfaces.flatMap { $0.ipv6.map(\.address) }.filter { $0 != "::1" }
    }
}

/// One network interface.
public struct NetworkInterface: Sendable, Hashable {
    /// `eth0`.
    public var device: String
    /// Not administratively down (`operstate` other than `down`).
    public var active: Bool?
    /// The hardware address; `nil` for none or all zeros.
    public var macAddress: String?
    /// The MTU in bytes.
    public var mtu: Int?
    /// `ether`, `loopback`, `bridge`, `bonding`, `infiniband`, `ppp`, `tunnel` or `unknown`.
    public var type: String?
    /// Whether the interface is in promiscuous mode.
    public var promisc: Bool?
    /// Link speed in Mb/s, when the kernel knows it.
    public var speed: Int?
    /// The primary IPv4 address.
    public var ipv4: IPv4Address?
    /// Further IPv4 addresses.
    public var ipv4Secondaries: [IPv4Address] = []
    /// IPv6 addresses.
    public var ipv6: [IPv6Address] = []
    /// For a bridge: its id, whether STP is on, and its member interfaces.
    public var bridge: BridgeInfo?

    /// Creates an interface with only its name.
    public init(device: String) { self.device = device }
}

/// What a bridge interface adds: `bridge_id`, `stp_state` and the `brif` members.
public struct BridgeInfo: Sendable, Hashable {
    /// `8000.36cae5eb444b`.
    public var id: String
    /// Whether the spanning tree protocol is on.
    public var stp: Bool
    /// The interfaces enslaved to the bridge.
    public var members: [String]
}

/// An IPv4 address with its prefix.
public struct IPv4Address: Sendable, Hashable {
    /// `10.0.0.5`.
    public var address: String
    /// `24`.
    public var prefix: Int
    /// The broadcast address, or empty when there is none.
    public var broadcast: String

    /// `255.255.255.0`.
    public var netmask: String { Self.format(prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))) }
    /// The network address (`10.0.0.0`).
    public var network: String {
        guard let value = Self.parse(address) else { return "" }
        return Self.format(value & (prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix))))
    }

    /// Dotted quad to a number.
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1 }
    }

    /// A number to a dotted quad.
    static func format(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}

/// An IPv6 address with its prefix and scope (`global`, `link`, `host`).
public struct IPv6Address: Sendable, Hashable {
    /// `fe80::1`, as `ip` writes it.
    public var address: String
    /// `64`.
    public var prefix: Int
    /// `global`, `link`, `host` or `site`.
    public var scope: String
}

/// The route a host would use to reach the internet: the interface, the source address, the gateway.
public struct DefaultRoute: Sendable, Hashable {
    /// The outgoing interface.
    public var interface: String
    /// The source address, when known.
    public var address: String?
    /// The next hop, when not directly connected.
    public var gateway: String?
}
