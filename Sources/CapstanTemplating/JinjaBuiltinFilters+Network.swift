import CapstanBasics
import Foundation

/// ansible.utils' `ipaddr`, `ipv4`, `ipv6` and `ipwrap`, with netaddr's answers: a query names what
/// to return (`address`, `network`, `prefix`, ...), a number picks the nth address of a network, a
/// network checks membership, and a value that is not an address gives `False`.
extension JinjaBuiltinFilters {
    static func registerNetwork(in env: TemplateEnvironment) {
        func register(_ name: String, _ filter: @escaping TemplateFilter) {
            env.registerFilter(name, filter)
            env.filters["ansible.utils." + name] = filter
            env.filters["ansible.netcommon." + name] = filter
        }
        for (name, version) in [("ipaddr", 0), ("ipv4", 4), ("ipv6", 6)] {
            register(name) { args in
                try JinjaIPAddrQuery.filter(args.input, query: query(args), version: version, alias: name)
            }
        }
        register("ipmath", ipmath)
        register("nthhost", nthhost)
        register("ipwrap") { args in
            let q = query(args)
            // As ansible.utils does: a list item is wrapped as it was given, a single value as found.
            func wrap(_ v: Value, inList: Bool) -> Value {
                guard let found = try? JinjaIPAddrQuery.filter(v, query: q, version: 0, alias: "ipwrap"), found.isTruthy
                else { return v }
                return (try? JinjaIPAddrQuery.filter(inList ? v : found, query: "wrap", version: 0, alias: "ipwrap"))
                    ?? v
            }
            if case .list(let items) = args.input { return .list(items.map { wrap($0, inList: true) }) }
            return wrap(args.input, inList: false)
        }
    }

    /// `ipmath`: the address (of a network, its address part) moved by `amount`.
    static func ipmath(_ args: CallArguments) throws -> Value {
        let text = args.input.pythonString
        guard let v = JinjaIPNetwork(parsing: text) else {
            throw TemplateError("You must pass a valid IP address; \(text) is invalid")
        }
        // The argument spec turns a numeric string into an integer.
        let given = args.argument(0, "amount")
        guard
            let amount = given.flatMap({ v -> Int? in
                if case .int(let n) = v { return n }
                if case .string(let s) = v { return Int(s.trimmingCharacters(in: .whitespaces)) }
                return nil
            })
        else {
            throw TemplateError(
                "argument 'amount' is of type \(given?.pythonTypeName ?? "NoneType") and we were unable to convert to int"
            )
        }
        let moved =
            amount >= 0
            ? v.ip.addingReportingOverflow(UInt128(amount))
            : v.ip.subtractingReportingOverflow(UInt128(amount.magnitude))
        guard !moved.overflow, moved.partialValue <= v.maxValue else {
            throw TemplateError("result outside valid IP address boundary!")
        }
        return .string(v.format(moved.partialValue))
    }

    /// `nthhost`: the nth address of the network (counting back from the end when negative).
    static func nthhost(_ args: CallArguments) throws -> Value {
        // ipaddr's `cidr`/`subnet` keep the prefix, so an address with one counts from its network.
        guard (try JinjaIPAddrQuery.filter(args.input, query: "type", version: 0, alias: "nthhost")).isTruthy,
            let v = JinjaIPNetwork(parsing: args.input.pythonString)
        else { return .bool(false) }
        // The argument spec makes the query a string, so 0 is a query.
        guard let q = args.argument(0, "query"), q != .null, let n = Int(q.pythonString) else { return .bool(false) }
        let size = v.size ?? UInt128.max
        let magnitude = UInt128(n.magnitude)
        if n >= 0 { return magnitude < size ? .string(v.format(v.network + magnitude)) : .bool(false) }
        guard magnitude <= size else { throw TemplateError("index out range for address range size!") }
        return .string(v.format(v.last - (magnitude - 1)))
    }

    private static func query(_ args: CallArguments) -> String {
        guard let q = args.argument(0, "query"), q != .null else { return "" }
        return q.pythonString
    }
}

/// One `ipaddr` call on one value (lists are mapped, falsy results dropped).
enum JinjaIPAddrQuery {
    enum Kind { case address, network }

    static func filter(_ value: Value, query: String, version: Int, alias: String) throws -> Value {
        switch value {
        case .list(let items):
            return .list(
                try items.map { try filter($0, query: query, version: version, alias: alias) }.filter(\.isTruthy))
        case .null:
            throw TemplateError("Unrecognized type <<class 'NoneType'>> for \(alias) filter <value>")
        default:
            break
        }
        guard value.isTruthy, value != .bool(true) else { return .bool(false) }
        guard let (v, kind, text) = parse(value, version: version) else { return .bool(false) }
        if version != 0, v.version != version { return .bool(false) }
        if !query.isEmpty, !known.contains(query), Double(query) == nil, let net = JinjaIPNetwork(parsing: query) {
            let inside = v.version == net.version && v.prefix >= net.prefix && net.contains(v.ip, version: v.version)
            return inside ? .string(text) : .null
        }
        if let answer = try answer(query, v, kind, text) { return answer }
        guard let n = Int(query) else {
            if Double(query) != nil { return .bool(false) }
            throw TemplateError("\(alias): unknown filter type: \(query)")
        }
        if !v.sizeAbove1 { return .string(kind == .address ? v.ipText : v.text) }
        // netaddr's network[n]: negative counts from the end; out of range is no answer.
        let size = v.size ?? UInt128.max
        let magnitude = UInt128(n.magnitude)
        guard n >= 0 ? magnitude < size : magnitude <= size else { return .bool(false) }
        let address = n >= 0 ? v.network + magnitude : v.last - (magnitude - 1)
        return .string("\(v.format(address))/\(v.prefix)")
    }

    /// The network, whether the text named an address or a network, and the value as text.
    private static func parse(_ value: Value, version: Int) -> (JinjaIPNetwork, Kind, String)? {
        let text = value.pythonString
        if case .int(let n) = value, n >= 0 {
            return fromInt(UInt128(n), version: version).map { ($0, .address, $0.text) }
        }
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let n = UInt128(text) {
            return fromInt(n, version: version).map { ($0, .address, $0.text) }
        }
        if let v = JinjaIPNetwork(parsing: text) { return (v, text.contains("/") ? .network : .address, text) }
        // A numeric CIDR: `167772160/8`.
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = UInt128(parts[0]), let p = Int(parts[1]) else { return nil }
        for candidate in [4, 6] {
            let width = candidate == 4 ? 32 : 128
            if candidate == 4, n > UInt128(UInt32.max) { continue }
            if (0...width).contains(p) {
                let v = JinjaIPNetwork(version: candidate, ip: n, prefix: p)
                return (v, .network, v.text)
            }
        }
        return nil
    }

    private static func fromInt(_ n: UInt128, version: Int) -> JinjaIPNetwork? {
        if version != 6, n <= UInt128(UInt32.max) { return JinjaIPNetwork(version: 4, ip: n, prefix: 32) }
        return JinjaIPNetwork(version: 6, ip: n, prefix: 128)
    }

    private static let known: Set<String> = [
        "", "address", "address/prefix", "bool", "broadcast", "cidr", "first_usable", "gateway", "gw",
        "host", "host/prefix", "hostmask", "hostnet", "int", "ip", "ip/prefix", "ip_netmask", "ipv4", "ipv6",
        "last_usable", "link-local", "lo", "loopback", "multicast", "net", "next_usable", "netmask", "network",
        "network_id", "network/prefix", "network_netmask", "network_wildcard", "peer", "prefix",
        "previous_usable", "private", "public", "range_usable", "revdns", "router", "size", "size_usable",
        "subnet", "type", "unicast", "v4", "v6", "version", "wildcard", "wrap",
    ]

    /// The answer to a named query: `.some(nil)` stands for Python's `None`; nil for "not a name".
    private static func answer(_ query: String, _ v: JinjaIPNetwork, _ kind: Kind, _ value: String) throws -> Value? {
        guard known.contains(query) else { return nil }
        let none = Value.null
        let hostBits = v.ip != v.network || v.broadcast == nil
        let two = v.sizeIs(2)
        func s(_ x: UInt128) -> Value { .string(v.format(x)) }
        func needNetwork() throws {
            if kind == .address { throw TemplateError("Not a network address") }
        }
        let usable: (UInt128, UInt128)? =
            !v.sizeAbove1 ? nil : two ? (v.network, v.last) : (v.network + 1, v.last - 1)
        switch query {
        case "": return .string(kind == .address ? v.ipText : v.text)
        case "address", "ip":
            if !v.sizeAbove1 { return .string(v.ipText) }
            return hostBits || v.version == 6 ? .string(v.ipText) : none
        case "address/prefix", "gateway", "gw", "host/prefix", "hostnet", "router":
            if let size = v.size, size > 2, v.ip == v.network || v.ip == v.broadcast { return .bool(false) }
            return .string(v.text)
        case "bool": return .bool(true)
        case "broadcast": return (v.size.map { $0 > 2 } ?? true) ? s(v.last) : none
        case "cidr", "network/prefix", "subnet":
            return query == "cidr" ? .string(v.text) : .string("\(v.format(v.network))/\(v.prefix)")
        case "host":
            if !v.sizeAbove1 { return .string(v.text) }
            return hostBits ? .string(v.text) : none
        case "hostmask", "wildcard": return s(v.hostmask)
        case "int":
            guard let ip = Int(exactly: v.ip) else { return .string(String(v.ip)) }
            return kind == .address ? .int(ip) : .string("\(ip)/\(v.prefix)")
        case "ip/prefix": return two || (v.sizeAbove1 && v.ip != v.network) ? .string(v.text) : none
        case "ip_netmask":
            return two || (v.sizeAbove1 && v.ip != v.network) ? .string("\(v.ipText) \(v.format(v.netmask))") : none
        case "ipv4", "v4":
            guard v.version == 6 else { return .string(value) }
            guard v.ip >> 32 == 0 || v.ip >> 32 == 0xffff else { return .bool(false) }
            let mapped = JinjaIPNetwork(version: 4, ip: v.ip & 0xffff_ffff, prefix: max(0, v.prefix - 96))
            return .string(mapped.text)
        case "ipv6", "v6":
            guard v.version == 4 else { return .string(value) }
            return .string(JinjaIPNetwork(version: 6, ip: 0xffff_0000_0000 | v.ip, prefix: v.prefix + 96).text)
        case "first_usable":
            try needNetwork()
            return usable.map { s($0.0) } ?? none
        case "last_usable":
            try needNetwork()
            return usable.map { s($0.1) } ?? none
        case "next_usable", "previous_usable":
            try needNetwork()
            guard let (first, last) = usable else { return none }
            let next = query == "next_usable" ? v.ip &+ 1 : v.ip &- 1
            return next >= first && next <= last ? s(next) : none
        case "range_usable":
            try needNetwork()
            return usable.map { .string("\(v.format($0.0))-\(v.format($0.1))") } ?? none
        case "link-local":
            return JinjaIPNetwork.cidr(v.version == 4 ? "169.254.0.0/16" : "fe80::/10").contains(
                v.ip, version: v.version)
                ? .string(value) : none
        case "lo", "loopback": return v.isLoopback ? .string(value) : none
        case "multicast": return v.isMulticast ? .string(value) : none
        case "unicast": return v.isMulticast ? none : .string(value)
        case "net": return v.sizeAbove1 && v.ip == v.network ? .string("\(v.format(v.network))/\(v.prefix)") : none
        case "netmask": return s(v.netmask)
        case "network", "network_id": return s(v.network)
        case "network_netmask": return .string("\(v.format(v.network)) \(v.format(v.netmask))")
        case "network_wildcard": return .string("\(v.format(v.network)) \(v.format(v.hostmask))")
        case "peer":
            try needNetwork()
            if two { return s(v.ip ^ 1) }
            if v.sizeIs(4) {
                if v.ip % 4 == 0 { throw TemplateError("Network address of /30 has no peer") }
                if v.ip % 4 == 3 { throw TemplateError("Broadcast address of /30 has no peer") }
                return s(v.ip ^ 3)
            }
            throw TemplateError("Not a point-to-point network")
        case "prefix": return .int(v.prefix)
        case "private": return v.isGlobal ? none : .string(value)
        case "public":
            return !v.isMulticast && v.isGlobal && !v.isLoopback && !v.isNetmask && !v.isHostmask
                ? .string(value) : none
        case "revdns": return .string(reverseDNS(v))
        case "size": return number(v.size)
        case "size_usable":
            guard let size = v.size, size > 2 else { return .int(v.size == 1 ? 0 : 2) }
            return number(size - 2)
        case "type": return .string(!v.sizeAbove1 || v.ip != v.network ? "address" : "network")
        case "version": return .int(v.version)
        case "wrap":
            guard v.version == 6 else { return .string(value) }
            return .string(kind == .address ? "[\(v.ipText)]" : "[\(v.ipText)]/\(v.prefix)")
        default: return nil
        }
    }

    /// A count as Python holds it; beyond 64 bits as the float JSON readers make of it.
    private static func number(_ n: UInt128?) -> Value {
        guard let n else { return .float(0x1p128) }
        return Int(exactly: n).map(Value.int) ?? .float(Double(n))
    }

    /// netaddr's `reverse_dns`: the address's PTR name, with a trailing dot.
    private static func reverseDNS(_ v: JinjaIPNetwork) -> String {
        if v.version == 4 {
            return (0..<4).map { String((v.ip >> UInt128(8 * $0)) & 0xff) }.joined(separator: ".") + ".in-addr.arpa."
        }
        let nibbles = (0..<32).map { String((v.ip >> UInt128(4 * $0)) & 0xf, radix: 16) }
        return nibbles.joined(separator: ".") + ".ip6.arpa."
    }
}
