/// Reads the `network` group: interface properties from `/sys/class/net`, addresses and default
/// routes from one `ip -batch` (`addr show`, then `route get` for an IPv4 and an IPv6 internet
/// address, as Ansible asks) when the host has `ip`, else from `/proc/net` (`ProcNetParser`).
enum NetworkFactsParser {
    /// `/sys/class/net/*/type` values Ansible names.
    static let interfaceTypes = ["1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"]

    static func parse(_ output: FactOutput) -> NetworkFacts {
        var interfaces = sysfsInterfaces(output)
        var facts = NetworkFacts(interfaces: [])
        if output.has("ip") {
            let lines = output.lines("ip")
            let v4 = "8.8.8.8"
            let v6 = "2404:6800:400a:800::1012"
            let routes = { (target: String) in lines.first { $0.hasPrefix(target + " ") } }
            IPCommandParser.addAddresses(lines.filter(IPCommandParser.isAddressLine), to: &interfaces)
            facts.defaultIPv4 = IPCommandParser.route(routes(v4), target: v4)
            facts.defaultIPv6 = IPCommandParser.route(routes(v6), target: v6)
        } else {
            ProcNetParser.addAddresses(output, to: &interfaces)
            facts.defaultIPv4 = ProcNetParser.defaultIPv4(output.file("/proc/net/route") ?? "", interfaces)
            facts.defaultIPv6 = ProcNetParser.defaultIPv6(output.file("/proc/net/ipv6_route") ?? "", interfaces)
        }
        facts.interfaces = interfaces.values.sorted { $0.device < $1.device }
        return facts
    }

    /// One interface per `/sys/class/net/NAME/...` file the program read.
    static func sysfsInterfaces(_ output: FactOutput) -> [String: NetworkInterface] {
        var interfaces: [String: NetworkInterface] = [:]
        let prefix = "/sys/class/net/"
        for (path, content) in output.files where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count).split(separator: "/", maxSplits: 1).map(String.init)
            guard rest.count == 2 else { continue }
            let value = content.trimmingSpaces
            var interface = interfaces[rest[0]] ?? NetworkInterface(device: rest[0])
            switch rest[1] {
            case "address": interface.macAddress = value.isEmpty || value == "00:00:00:00:00:00" ? nil : value
            case "mtu": interface.mtu = Int(value)
            case "operstate": interface.active = value != "down"
            case "type": if interface.type == nil { interface.type = interfaceTypes[value] ?? "unknown" }
            case "flags": interface.promisc = Int(value.dropFirst(2), radix: 16).map { $0 & 0x100 != 0 }
            case "speed": interface.speed = Int(value)
            case "bridge/bridge_id":
                interface.type = "bridge"
                interface.bridge = interface.bridge ?? BridgeInfo(id: "", stp: false, members: [])
                interface.bridge?.id = value
            case "bridge/stp_state":
                interface.bridge = interface.bridge ?? BridgeInfo(id: "", stp: false, members: [])
                interface.bridge?.stp = value == "1"
            case "bonding/mode": interface.type = "bonding"
            default: break
            }
            interfaces[rest[0]] = interface
        }
        for line in output.lines("brif") {
            let parts = line.split(separator: "/").map(String.init)
            guard parts.count == 3, interfaces[parts[0]]?.bridge != nil else { continue }
            interfaces[parts[0]]?.bridge?.members.append(parts[2])
        }
        return interfaces
    }
}

/// Reads `ip -o addr show` and `ip route get` output.
enum IPCommandParser {
    /// `2: eth0 ...`: an interface index, a colon and a space.
    static func isAddressLine(_ line: String) -> Bool {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && line.dropFirst(digits.count).hasPrefix(": ")
    }

    /// `2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\       valid_lft ...`
    static func addAddresses(_ lines: [String], to interfaces: inout [String: NetworkInterface]) {
        for line in lines {
            let head = line.split(separator: "\\", maxSplits: 1).first ?? ""
            let words = head.split(separator: " ").map(String.init)
            guard words.count >= 4 else { continue }
            let device = String(words[1].split(separator: "@").first ?? "")
            let family = words[2]
            if family == "inet" {
                let parts = words[3].split(separator: "/")
                let address = IPv4Address(
                    address: String(parts[0]), prefix: parts.count > 1 ? Int(parts[1]) ?? 32 : 32,
                    broadcast: value(after: "brd", in: words) ?? "")
                // An alias label (eth0:1) is its own interface for Ansible, holding only that address.
                let label = words.last ?? device
                let owner = label != device && label.hasPrefix(device + ":") ? label : device
                var interface = interfaces[owner] ?? NetworkInterface(device: owner)
                if interface.ipv4 == nil && !words.contains("secondary") {
                    interface.ipv4 = address
                } else {
                    interface.ipv4Secondaries.append(address)
                }
                interfaces[owner] = interface
            } else if family == "inet6" {
                let withPrefix = words[4] == "peer" && words.count > 5 ? words[5] : words[3]
                let address = String(words[3].split(separator: "/")[0])
                let prefix = withPrefix.split(separator: "/").dropFirst().first.flatMap { Int($0) } ?? 128
                interfaces[device, default: NetworkInterface(device: device)].ipv6.append(
                    IPv6Address(address: address, prefix: prefix, scope: value(after: "scope", in: words) ?? "global"))
            }
        }
    }

    /// `8.8.8.8 via 10.0.0.1 dev eth0 src 10.0.0.5 uid 0`; nothing when there is no route.
    static func route(_ line: String?, target: String) -> DefaultRoute? {
        guard let line else { return nil }
        let words = line.split(separator: " ").map(String.init)
        guard words.first == target, let device = value(after: "dev", in: words) else { return nil }
        let via = value(after: "via", in: words)
        return DefaultRoute(
            interface: device, address: value(after: "src", in: words), gateway: via == target ? nil : via)
    }

    private static func value(after key: String, in words: [String]) -> String? {
        guard let i = words.firstIndex(of: key), i + 1 < words.count else { return nil }
        return words[i + 1]
    }
}
