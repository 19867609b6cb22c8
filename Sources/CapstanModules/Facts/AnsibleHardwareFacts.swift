import CapstanBasics
import Collections
import Foundation

/// The `hardware` group under Ansible's names (and `capstan_gpus`, Capstan's own).
enum AnsibleHardwareFacts {
    static func add(_ h: HardwareFacts, to facts: inout OrderedDictionary<String, Value>) {
        let p = h.processor
        facts["ansible_processor"] = .list(p.entries.map(Value.string))
        facts["ansible_processor_count"] = .int(p.count)
        facts["ansible_processor_cores"] = .int(p.cores)
        facts["ansible_processor_threads_per_core"] = .int(p.threadsPerCore)
        facts["ansible_processor_vcpus"] = .int(p.vcpus)
        facts["ansible_processor_nproc"] = .int(p.nproc)
        facts["ansible_memtotal_mb"] = .int(h.memory.totalMB)
        facts["ansible_memfree_mb"] = .int(h.memory.freeMB)
        facts["ansible_swaptotal_mb"] = .int(h.memory.swapTotalMB)
        facts["ansible_swapfree_mb"] = .int(h.memory.swapFreeMB)
        facts["ansible_mounts"] = .list(h.mounts.map(mount))
        facts["ansible_product_uuid"] = .string(h.productUUID)
        facts["ansible_uptime_seconds"] = .int(h.uptimeSeconds)
        facts["capstan_gpus"] = .list(h.gpus.map(gpu))
    }

    static func mount(_ m: MountFacts) -> Value {
        var entry: OrderedDictionary<String, Value> = [
            "mount": .string(m.mount), "device": .string(m.device), "fstype": .string(m.fstype),
            "options": .string(m.options), "dump": .int(m.dump), "passno": .int(m.passno),
        ]
        if let u = m.usage {
            entry["size_total"] = .int(u.sizeTotal)
            entry["size_available"] = .int(u.sizeAvailable)
            entry["block_size"] = .int(u.blockSize)
            entry["block_total"] = .int(u.blockTotal)
            entry["block_available"] = .int(u.blockAvailable)
            entry["block_used"] = .int(u.blockTotal - u.blockAvailable)
            entry["inode_total"] = .int(u.inodeTotal)
            entry["inode_available"] = .int(u.inodeAvailable)
            entry["inode_used"] = .int(u.inodeTotal - u.inodeAvailable)
        }
        return .dict(entry)
    }

    static func gpu(_ g: GPU) -> Value {
        [
            "vendor": .string(g.vendor.rawValue), "pci_address": .string(g.pciAddress),
            "device_id": .string(g.deviceID), "model": g.model.map(Value.string) ?? .null,
            "driver": g.driver.map(Value.string) ?? .null,
        ]
    }
}

/// The `network` group under Ansible's names.
enum AnsibleNetworkFacts {
    static func add(_ n: NetworkFacts, to facts: inout OrderedDictionary<String, Value>) {
        let names = n.interfaces.map { $0.device.replacingColons }
        facts["ansible_interfaces"] = .list(names.sorted().map(Value.string))
        for interface in n.interfaces {
            facts["ansible_" + interface.device.replacingColons] = .dict(self.interface(interface))
        }
        facts["ansible_all_ipv4_addresses"] = .list(n.allIPv4Addresses.map(Value.string))
        facts["ansible_all_ipv6_addresses"] = .list(n.allIPv6Addresses.map(Value.string))
        facts["ansible_default_ipv4"] = .dict(defaultIPv4(n))
        facts["ansible_default_ipv6"] = .dict(defaultIPv6(n))
    }

    static func interface(_ i: NetworkInterface) -> OrderedDictionary<String, Value> {
        var d: OrderedDictionary<String, Value> = ["device": .string(i.device)]
        if let active = i.active { d["active"] = .bool(active) }
        if let mac = i.macAddress { d["macaddress"] = .string(mac) }
        if let mtu = i.mtu { d["mtu"] = .int(mtu) }
        if let type = i.type { d["type"] = .string(type) }
        if let promisc = i.promisc { d["promisc"] = .bool(promisc) }
        if let speed = i.speed { d["speed"] = .int(speed) }
        if let bridge = i.bridge {
            d["id"] = .string(bridge.id)
            d["stp"] = .bool(bridge.stp)
            d["interfaces"] = .list(bridge.members.map(Value.string))
        }
        if let ipv4 = i.ipv4 { d["ipv4"] = .dict(address(ipv4)) }
        if !i.ipv4Secondaries.isEmpty { d["ipv4_secondaries"] = .list(i.ipv4Secondaries.map { .dict(address($0)) }) }
        if !i.ipv6.isEmpty {
            d["ipv6"] = .list(
                i.ipv6.map {
                    ["address": .string($0.address), "prefix": .string(String($0.prefix)), "scope": .string($0.scope)]
                })
        }
        return d
    }

    static func address(_ a: IPv4Address) -> OrderedDictionary<String, Value> {
        [
            "address": .string(a.address), "broadcast": .string(a.broadcast), "netmask": .string(a.netmask),
            "network": .string(a.network), "prefix": .string(String(a.prefix)),
        ]
    }

    /// The route's interface, source and gateway, and, when the source is one of that interface's
    /// addresses, its prefix, mask, network and the interface's MAC, MTU and type, as Ansible adds them.
    static func defaultIPv4(_ n: NetworkFacts) -> OrderedDictionary<String, Value> {
        guard let route = n.defaultIPv4 else { return [:] }
        var d: OrderedDictionary<String, Value> = ["interface": .string(route.interface)]
        if let address = route.address { d["address"] = .string(address) }
        if let gateway = route.gateway { d["gateway"] = .string(gateway) }
        for i in n.interfaces {
            guard
                let match = ([i.ipv4].compactMap { $0 } + i.ipv4Secondaries).first(where: {
                    $0.address == route.address
                })
            else { continue }
            for (key, value) in address(match) where key != "address" { d[key] = value }
            d["macaddress"] = .string(i.macAddress ?? "unknown")
            if let mtu = i.mtu { d["mtu"] = .int(mtu) }
            d["type"] = .string(i.type ?? "unknown")
            d["alias"] = .string(i.device)
        }
        return d
    }

    static func defaultIPv6(_ n: NetworkFacts) -> OrderedDictionary<String, Value> {
        guard let route = n.defaultIPv6 else { return [:] }
        var d: OrderedDictionary<String, Value> = ["interface": .string(route.interface)]
        if let address = route.address { d["address"] = .string(address) }
        if let gateway = route.gateway { d["gateway"] = .string(gateway) }
        for i in n.interfaces {
            guard let match = i.ipv6.first(where: { $0.address == route.address }) else { continue }
            d["prefix"] = .string(String(match.prefix))
            d["scope"] = .string(match.scope)
            d["macaddress"] = .string(i.macAddress ?? "unknown")
            if let mtu = i.mtu { d["mtu"] = .int(mtu) }
            d["type"] = .string(i.type ?? "unknown")
        }
        return d
    }
}

extension String {
    /// Ansible writes `eth0:1` as `eth0_1` in fact names, which templates could not use otherwise.
    var replacingColons: String { replacingOccurrences(of: ":", with: "_") }
}
