/// Addresses and default routes from `/proc/net` for hosts without `ip` (Ansible gathers no
/// network facts there at all; Capstan does its best):
/// - IPv4 addresses: the `/32 host LOCAL` entries of `/proc/net/fib_trie`, each given to the
///   interface whose connected route (`/proc/net/route`, no gateway) holds it, longest mask first;
///   `127.x` goes to the loopback interface as a /8. Broadcast addresses are not known there, nor
///   which address is primary: the first in fib_trie's order (by address) is.
/// - IPv6 addresses: `/proc/net/if_inet6`.
/// - Default routes: the `0.0.0.0/0` and `::/0` entries of `/proc/net/route` and `/proc/net/ipv6_route`.
enum ProcNetParser {
    static func addAddresses(_ output: FactOutput, to interfaces: inout [String: NetworkInterface]) {
        let routes = ipv4Routes(output.file("/proc/net/route") ?? "")
        for address in localIPv4(output.file("/proc/net/fib_trie") ?? "") {
            guard let value = IPv4Address.parse(address) else { continue }
            var owner: (device: String, prefix: Int)?
            if address.hasPrefix("127.") {
                owner = interfaces.values.first { $0.type == "loopback" }.map { ($0.device, 8) }
            } else {
                owner = routes.filter { $0.gateway == 0 && value & $0.mask == $0.destination }
                    .max { $0.mask.nonzeroBitCount < $1.mask.nonzeroBitCount }
                    .map { ($0.device, $0.mask.nonzeroBitCount) }
            }
            guard let owner else { continue }
            let ipv4 = IPv4Address(address: address, prefix: owner.prefix, broadcast: "")
            var interface = interfaces[owner.device] ?? NetworkInterface(device: owner.device)
            if interface.ipv4 == nil { interface.ipv4 = ipv4 } else { interface.ipv4Secondaries.append(ipv4) }
            interfaces[owner.device] = interface
        }
        for line in (output.file("/proc/net/if_inet6") ?? "").split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count >= 6, let prefix = Int(f[2], radix: 16), let scope = Int(f[3], radix: 16) else { continue }
            let address = IPv6Address(address: formatIPv6(f[0]), prefix: prefix, scope: scopeName(scope))
            interfaces[f[5], default: NetworkInterface(device: f[5])].ipv6.append(address)
        }
    }

    /// `|-- 10.0.0.5` followed by `/32 host LOCAL`: an address of this host. Each appears in both
    /// the main and the local table; the first sighting wins.
    static func localIPv4(_ fibTrie: String) -> [String] {
        var found: [String] = []
        var last: String?
        for line in fibTrie.split(separator: "\n") {
            let text = line.trimmingSpaces
            if text.hasPrefix("|-- ") {
                last = String(text.dropFirst(4))
            } else if text.hasPrefix("/32 host LOCAL"), let address = last, !found.contains(address) {
                found.append(address)
            }
        }
        return found
    }

    struct Route {
        var device: String
        var destination: UInt32
        var gateway: UInt32
        var mask: UInt32
    }

    /// `/proc/net/route` rows; addresses are little-endian hex.
    static func ipv4Routes(_ table: String) -> [Route] {
        table.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count >= 8, let d = UInt32(f[1], radix: 16), let g = UInt32(f[2], radix: 16),
                let m = UInt32(f[7], radix: 16)
            else { return nil }
            return Route(device: String(f[0]), destination: d.byteSwapped, gateway: g.byteSwapped, mask: m.byteSwapped)
        }
    }

    static func defaultIPv4(_ table: String, _ interfaces: [String: NetworkInterface]) -> DefaultRoute? {
        guard let route = ipv4Routes(table).first(where: { $0.destination == 0 && $0.mask == 0 }) else { return nil }
        return DefaultRoute(
            interface: route.device, address: interfaces[route.device]?.ipv4?.address,
            gateway: route.gateway == 0 ? nil : IPv4Address.format(route.gateway))
    }

    /// The `::/0` row not on `lo` (the kernel keeps an unreachable one there).
    static func defaultIPv6(_ table: String, _ interfaces: [String: NetworkInterface]) -> DefaultRoute? {
        for line in table.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count >= 10, f[0] == String(repeating: "0", count: 32), f[1] == "00", f[9] != "lo" else { continue }
            let gateway = f[4] == String(repeating: "0", count: 32) ? nil : formatIPv6(f[4])
            let address = interfaces[f[9]]?.ipv6.first { $0.scope == "global" }?.address
            return DefaultRoute(interface: f[9], address: address, gateway: gateway)
        }
        return nil
    }

    static func scopeName(_ scope: Int) -> String {
        switch scope {
        case 0x00: return "global"
        case 0x10: return "host"
        case 0x20: return "link"
        case 0x40: return "site"
        default: return String(scope)
        }
    }

    /// 32 hex digits to the text `ip` prints: lower case, leading zeros dropped, the longest run of
    /// two or more zero groups (the first, on a tie) written `::`.
    static func formatIPv6(_ hex: String) -> String {
        let digits = Array(hex.lowercased())
        guard digits.count == 32 else { return hex }
        let groups = stride(from: 0, to: 32, by: 4).map { i -> String in
            let group = String(digits[i..<(i + 4)]).drop { $0 == "0" }
            return group.isEmpty ? "0" : String(group)
        }
        var best = (start: -1, length: 0)
        var i = 0
        while i < 8 {
            guard groups[i] == "0" else {
                i += 1
                continue
            }
            var j = i
            while j < 8 && groups[j] == "0" { j += 1 }
            if j - i > best.length { best = (i, j - i) }
            i = j
        }
        guard best.length >= 2 else { return groups.joined(separator: ":") }
        let head = groups[..<best.start].joined(separator: ":")
        let tail = groups[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
