import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// The `ip` and `/proc/net` readers on fabricated output: several addresses, secondaries, an alias
/// label, peer addresses, no default route, IPv6 text forms.
@Suite struct NetworkParserTests {
    static let ipAddr = [
        "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever",
        "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever",
        "2: eth0    inet 10.0.0.6/24 brd 10.0.0.255 scope global secondary eth0\\       valid_lft forever",
        "2: eth0    inet 172.16.0.1/16 scope global eth0:1\\       valid_lft forever preferred_lft forever",
        "2: eth0    inet6 2001:db8::5/64 scope global \\       valid_lft forever preferred_lft forever",
        "3: wg0    inet6 fd00::1 peer fd00::2/128 scope global \\       valid_lft forever preferred_lft forever",
    ]

    @Test func ipAddressesWithSecondariesAndAliases() {
        var interfaces: [String: NetworkInterface] = [:]
        IPCommandParser.addAddresses(Self.ipAddr, to: &interfaces)
        #expect(interfaces["eth0"]?.ipv4 == IPv4Address(address: "10.0.0.5", prefix: 24, broadcast: "10.0.0.255"))
        #expect(interfaces["eth0"]?.ipv4Secondaries.map(\.address) == ["10.0.0.6"])
        #expect(interfaces["eth0:1"]?.ipv4?.address == "172.16.0.1")
        #expect(interfaces["eth0:1"]?.ipv4?.network == "172.16.0.0")
        #expect(interfaces["wg0"]?.ipv6 == [IPv6Address(address: "fd00::1", prefix: 128, scope: "global")])
        let facts = NetworkFacts(interfaces: interfaces.values.sorted { $0.device < $1.device })
        #expect(facts.allIPv4Addresses == ["10.0.0.5", "10.0.0.6", "172.16.0.1"])
        var dict = OrderedDictionaryBox()
        AnsibleNetworkFacts.add(facts, to: &dict.value)
        #expect(dict.value["ansible_eth0_1"] != nil)
        #expect(dict.value["ansible_interfaces"] == ["eth0", "eth0_1", "lo", "wg0"])
    }

    @Test func routes() {
        let v4 = IPCommandParser.route(
            "8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 \\    cache ", target: "8.8.8.8")
        #expect(v4 == DefaultRoute(interface: "eth0", address: "192.0.2.2", gateway: "192.0.2.1"))
        let direct = IPCommandParser.route("8.8.8.8 dev ppp0 src 100.64.0.2 uid 0", target: "8.8.8.8")
        #expect(direct == DefaultRoute(interface: "ppp0", address: "100.64.0.2", gateway: nil))
        #expect(IPCommandParser.route(nil, target: "8.8.8.8") == nil)
        #expect(IPCommandParser.route("RTNETLINK answers: Network is unreachable", target: "8.8.8.8") == nil)
        #expect(IPCommandParser.isAddressLine("12: eth0    inet 1.2.3.4/8"))
        #expect(!IPCommandParser.isAddressLine("2404:6800:400a:800::1012 from :: via fd00::1 dev eth0"))
    }

    @Test func defaultRouteFacts() {
        var eth0 = NetworkInterface(device: "eth0")
        eth0.macAddress = "02:00:00:00:00:01"
        eth0.mtu = 1500
        eth0.type = "ether"
        eth0.ipv4 = IPv4Address(address: "192.0.2.2", prefix: 24, broadcast: "192.0.2.255")
        let facts = NetworkFacts(
            interfaces: [eth0], defaultIPv4: DefaultRoute(interface: "eth0", address: "192.0.2.2", gateway: "192.0.2.1")
        )
        #expect(
            AnsibleNetworkFacts.defaultIPv4(facts) == [
                "interface": "eth0", "address": "192.0.2.2", "gateway": "192.0.2.1", "broadcast": "192.0.2.255",
                "netmask": "255.255.255.0", "network": "192.0.2.0", "prefix": "24", "macaddress": "02:00:00:00:00:01",
                "mtu": 1500, "type": "ether", "alias": "eth0",
            ])
    }

    @Test func procNetFormats() {
        #expect(ProcNetParser.formatIPv6("00000000000000000000000000000001") == "::1")
        #expect(ProcNetParser.formatIPv6("fe800000000000000449f8fffe82c5e6") == "fe80::449:f8ff:fe82:c5e6")
        #expect(ProcNetParser.formatIPv6("20010db8000000010000000000000001") == "2001:db8:0:1::1")
        #expect(ProcNetParser.formatIPv6("20010db8000100000001000000000001") == "2001:db8:1:0:1::1")
        #expect(ProcNetParser.formatIPv6("00000000000000000000000000000000") == "::")
        let route =
            "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        var eth0 = NetworkInterface(device: "eth0")
        eth0.ipv4 = IPv4Address(address: "192.0.2.2", prefix: 24, broadcast: "")
        #expect(
            ProcNetParser.defaultIPv4(route, ["eth0": eth0])
                == DefaultRoute(interface: "eth0", address: "192.0.2.2", gateway: "192.0.2.1"))
        let v6 =
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            + "fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0\n"
        #expect(ProcNetParser.defaultIPv6(v6, [:]) == DefaultRoute(interface: "eth0", address: nil, gateway: "fd00::1"))
    }
}

/// Lets a test pass an `OrderedDictionary` inout without importing Collections in every file.
struct OrderedDictionaryBox {
    var value: OrderedDictionary<String, Value> = [:]
}
