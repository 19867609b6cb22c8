import Foundation
import Testing

@testable import CapstanModules
@testable import CapstanTransport

/// The real fact program run through `LocalConnection` against a fabricated /proc and /sys (`CAPSTAN_FACTS_ROOT`), which
/// also takes the no-`ip` path: no default route, no swap, an interface with several addresses,
/// a promiscuous NIC, an NVIDIA GPU with its driver and an AMD one without, a 2-core 2-thread CPU.
@Suite struct FakeTreeFactTests {
    static let files: [String: String] = [
        "proc/sys/kernel/hostname": "gpu-box.example.test\n", "proc/sys/kernel/osrelease": "6.1.0-test\n",
        "proc/sys/kernel/version": "#1 SMP test\n", "proc/sys/kernel/ostype": "Linux\n",
        "proc/sys/kernel/arch": "x86_64\n",
        "proc/self/status":
            "Name:\tgrep\nUid:\t1000\t1001\t1000\t1000\nGid:\t100\t101\t100\t100\nCpus_allowed_list:\t0-3,8\n",
        "proc/meminfo":
            "MemTotal:        8388608 kB\nMemFree:         1048576 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
        "proc/mounts":
            "/dev/sda1 / ext4 rw,relatime 0 1\nproc /proc proc rw 0 0\nserver:/export /mnt/data\\040dir nfs4 rw 0 0\nnone /x none rw 0 0\n",
        "proc/uptime": "12345.67 999.00\n",
        "proc/net/route": "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
            + "eth0\t0000000A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n",
        "proc/net/fib_trie": """
        Main:
          +-- 0.0.0.0/0 3 0 5
             +-- 10.0.0.0/16 2 0 2
                |-- 10.0.0.0
                   /16 link UNICAST
                |-- 10.0.5.5
                   /32 host LOCAL
             +-- 192.168.2.0/24 2 0 2
                |-- 192.168.2.10
                   /32 host LOCAL
                |-- 192.168.2.11
                   /32 host LOCAL
        Local:
          +-- 0.0.0.0/0 3 0 5
                |-- 127.0.0.1
                   /32 host LOCAL
                |-- 192.168.2.10
                   /32 host LOCAL

        """,
        "proc/net/if_inet6": "fe800000000000000000000000000001 02 40 20 80     eth0\n"
            + "00000000000000000000000000000001 01 80 10 80       lo\n"
            + "20010db8000000000000000000000005 02 40 00 80     eth0\n",
        "proc/net/ipv6_route": "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
            + "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n",
        "proc/1/cgroup": "0::/init.scope\n",
        "sys/class/net/eth0/address": "52:54:00:12:34:56\n", "sys/class/net/eth0/mtu": "9000\n",
        "sys/class/net/eth0/operstate": "up\n", "sys/class/net/eth0/type": "1\n",
        "sys/class/net/eth0/flags": "0x1103\n", "sys/class/net/eth0/speed": "25000\n",
        "sys/class/net/lo/address": "00:00:00:00:00:00\n", "sys/class/net/lo/mtu": "65536\n",
        "sys/class/net/lo/operstate": "unknown\n", "sys/class/net/lo/type": "772\n", "sys/class/net/lo/flags": "0x9\n",
        "sys/class/dmi/id/product_uuid": "4C4C4544-0000-1111-2222-333344445555\n",
        "sys/class/dmi/id/product_name": "KVM\n",
        "sys/bus/pci/devices/0000:01:00.0/vendor": "0x10de\n", "sys/bus/pci/devices/0000:01:00.0/device": "0x2204\n",
        "sys/bus/pci/devices/0000:01:00.0/class": "0x030000\n",
        "sys/bus/pci/devices/0000:02:00.0/vendor": "0x1002\n", "sys/bus/pci/devices/0000:02:00.0/device": "0x740f\n",
        "sys/bus/pci/devices/0000:02:00.0/class": "0x038000\n",
        "sys/bus/pci/devices/0000:03:00.0/vendor": "0x10de\n", "sys/bus/pci/devices/0000:03:00.0/device": "0x1aef\n",
        "sys/bus/pci/devices/0000:03:00.0/class": "0x040300\n",
        "sys/bus/pci/devices/0000:00:1f.0/vendor": "0x8086\n", "sys/bus/pci/devices/0000:00:1f.0/class": "0x060100\n",
        "sys/bus/pci/drivers/nvidia/new_id": "",
    ]

    /// Four logical CPUs: one socket, two cores, two threads each.
    static var cpuinfo: String {
        (0..<4).map { cpu in
            "processor\t: \(cpu)\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU @ 3.00GHz\nphysical id\t: 0\n"
                + "siblings\t: 4\ncore id\t\t: \(cpu / 2)\ncpu cores\t: 2\nflags\t\t: fpu vme\n\n"
        }.joined()
    }

    /// Builds the tree, runs the program with `CAPSTAN_FACTS_ROOT` pointing at it, parses the output.
    static func gather() async throws -> HostFacts {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-facts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var all = files
        all["proc/cpuinfo"] = cpuinfo
        for (path, content) in all {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("sys/bus/pci/devices/0000:01:00.0/driver").path,
            withDestinationPath: "../../drivers/nvidia")
        let options = CommandOptions(environment: [FactScript.rootVariable: root.path])
        return try await FactGatherer().gather(on: LocalConnection(), options: options)
    }

    @Test func fakeTreeFacts() async throws {
        let facts = try await Self.gather()
        let network = try #require(facts.network)
        #expect(network.defaultIPv4 == nil)
        #expect(network.defaultIPv6 == nil)
        let eth0 = try #require(network.interface("eth0"))
        // Without `ip` nothing says which address is primary: fib_trie's order (by address) decides.
        #expect(eth0.ipv4 == IPv4Address(address: "10.0.5.5", prefix: 16, broadcast: ""))
        #expect(eth0.ipv4Secondaries.map(\.address) == ["192.168.2.10", "192.168.2.11"])
        #expect(eth0.ipv4Secondaries.map(\.prefix) == [24, 24])
        #expect(
            eth0.ipv6 == [
                IPv6Address(address: "fe80::1", prefix: 64, scope: "link"),
                IPv6Address(address: "2001:db8::5", prefix: 64, scope: "global"),
            ])
        #expect(eth0.promisc == true && eth0.speed == 25000 && eth0.mtu == 9000 && eth0.type == "ether")
        #expect(eth0.macAddress == "52:54:00:12:34:56")
        let lo = try #require(network.interface("lo"))
        #expect(
            lo.macAddress == nil && lo.type == "loopback" && lo.ipv4?.address == "127.0.0.1" && lo.ipv4?.prefix == 8)
        #expect(network.allIPv4Addresses == ["10.0.5.5", "192.168.2.10", "192.168.2.11"])
        #expect(network.allIPv6Addresses == ["fe80::1", "2001:db8::5"])

        let hardware = try #require(facts.hardware)
        #expect(hardware.memory == MemoryFacts(totalMB: 8192, freeMB: 1024, swapTotalMB: 0, swapFreeMB: 0))
        let p = hardware.processor
        #expect([p.count, p.cores, p.threadsPerCore, p.vcpus, p.nproc] == [1, 2, 2, 4, 5] as [Int])
        #expect(Array(p.entries.prefix(3)) == ["0", "GenuineIntel", "Test CPU @ 3.00GHz"])
        #expect(
            hardware.gpus == [
                GPU(vendor: .nvidia, pciAddress: "0000:01:00.0", deviceID: "0x2204", model: nil, driver: "nvidia"),
                GPU(vendor: .amd, pciAddress: "0000:02:00.0", deviceID: "0x740f", model: nil, driver: nil),
            ])
        #expect(hardware.mounts.map(\.mount) == ["/", "/mnt/data dir"])
        #expect(hardware.mounts.map(\.device) == ["/dev/sda1", "server:/export"])
        #expect(hardware.uptimeSeconds == 12345)
        #expect(hardware.productUUID == "4C4C4544-0000-1111-2222-333344445555")

        let system = try #require(facts.system)
        #expect(system.hostname == "gpu-box" && system.nodename == "gpu-box.example.test")
        #expect(system.user.realUID == 1000 && system.user.effectiveUID == 1001 && system.user.effectiveGID == 101)
        #expect(system.kernel == "6.1.0-test" && system.machine == "x86_64")
        #expect(facts.virtualization?.guestTech.contains("kvm") == true)
    }

    @Test func fakeTreeAnsibleFacts() async throws {
        let facts = try await Self.gather().ansibleFacts
        #expect(facts["ansible_default_ipv4"] == .dict([:]))
        #expect(facts["ansible_default_ipv6"] == .dict([:]))
        #expect(facts["ansible_swaptotal_mb"] == 0)
        #expect(facts["ansible_interfaces"] == ["eth0", "lo"])
        #expect(facts["ansible_eth0"]?["ipv4_secondaries"]?.listValue?.count == 2)
        #expect(facts["ansible_eth0"]?["ipv4"]?["network"] == "10.0.0.0")
        #expect(facts["ansible_eth0"]?["ipv4"]?["netmask"] == "255.255.0.0")
        #expect(facts["ansible_eth0"]?["ipv4_secondaries"]?.listValue?.last?["broadcast"] == "")
        #expect(
            facts["capstan_gpus"]?.listValue?.first == [
                "vendor": "nvidia", "pci_address": "0000:01:00.0", "device_id": "0x2204", "model": nil,
                "driver": "nvidia",
            ])
        #expect(facts["ansible_lo"]?["macaddress"] == nil)
    }
}
