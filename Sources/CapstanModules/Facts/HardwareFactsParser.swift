/// Reads the `hardware` group from the fact program's output.
enum HardwareFactsParser {
    static func parse(_ output: FactOutput, machine: String) -> HardwareFacts {
        let nproc = ProcStatus(output.file("/proc/self/status") ?? "").allowedCPUs
        let uptime = output.firstLine("/proc/uptime")?.split(separator: " ").first.flatMap { Double($0) } ?? 0
        return HardwareFacts(
            processor: processor(output.file("/proc/cpuinfo") ?? "", machine: machine, nproc: nproc),
            memory: memory(output.file("/proc/meminfo") ?? ""),
            mounts: mounts(output.file("/proc/mounts") ?? "", statfs: output.lines("statfs")),
            productUUID: output.firstLine("/sys/class/dmi/id/product_uuid") ?? "NA",
            uptimeSeconds: Int(uptime),
            gpus: GPUParser.parse(sysfs: output.lines("gpus"), lspci: output.lines("lspci")))
    }

    /// Ansible's counting: sockets from distinct `physical id`s, cores per socket from the first
    /// socket's `cpu cores`, threads per core from the first core's `siblings` over that.
    static func processor(_ cpuinfo: String, machine: String, nproc: Int?) -> ProcessorFacts {
        var entries: [String] = []
        var counted = 0
        var vendorIDs = 0
        var modelNames = 0
        var processors = 0
        var sockets: [(id: String, cores: Int)] = []
        var siblings: [(id: String, count: Int)] = []
        var physicalID = "0"
        var coreID = "0"
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingSpaces
            let value = parts.count > 1 ? parts[1].trimmingSpaces : ""
            switch key {
            case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor":
                entries.append(value)
                counted += 1
                if key == "vendor_id" { vendorIDs += 1 }
                if key == "model name" { modelNames += 1 }
                if key == "processor" { processors += 1 }
            case "physical id":
                physicalID = value
                if !sockets.contains(where: { $0.id == value }) { sockets.append((value, 1)) }
            case "core id":
                coreID = value
                // Ansible tests the core id against the sockets here, and so does this.
                if !sockets.contains(where: { $0.id == value }), !siblings.contains(where: { $0.id == value }) {
                    siblings.append((value, 1))
                }
            case "cpu cores":
                set(&sockets, physicalID, Int(value) ?? 1)
            case "siblings":
                set(&siblings, coreID, Int(value) ?? 1)
            default:
                break
            }
        }
        if vendorIDs > 0, vendorIDs == modelNames { counted = vendorIDs }
        if machine.hasPrefix("armv") || machine.hasPrefix("aarch") || machine.hasPrefix("ppc") { counted = processors }
        let count = sockets.isEmpty ? counted : sockets.count
        let cores = sockets.first.map { $0.cores != 0 ? $0.cores : 1 } ?? 1
        let threads = Int((Double(siblings.first?.count ?? 1) / Double(cores)).rounded(.toNearestOrEven))
        return ProcessorFacts(
            entries: entries, count: count, cores: cores, threadsPerCore: threads, vcpus: threads * count * cores,
            nproc: nproc ?? processors)
    }

    private static func set(_ list: inout [(id: String, cores: Int)], _ id: String, _ value: Int) {
        if let i = list.firstIndex(where: { $0.id == id }) { list[i].cores = value } else { list.append((id, value)) }
    }

    private static func set(_ list: inout [(id: String, count: Int)], _ id: String, _ value: Int) {
        if let i = list.firstIndex(where: { $0.id == id }) { list[i].count = value } else { list.append((id, value)) }
    }

    static func memory(_ meminfo: String) -> MemoryFacts {
        var kB: [String: Int] = [:]
        for line in meminfo.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0].hasSuffix(":") else { continue }
            kB[String(words[0].dropLast())] = Int(words[1])
        }
        return MemoryFacts(
            totalMB: (kB["MemTotal"] ?? 0) / 1024, freeMB: (kB["MemFree"] ?? 0) / 1024,
            swapTotalMB: (kB["SwapTotal"] ?? 0) / 1024, swapFreeMB: (kB["SwapFree"] ?? 0) / 1024)
    }

    /// Mounts Ansible lists (device a path, `\\…` or `host:/…`; fstype not `none`), with sizes from -f -c '%S %s %b %a %c %d %n'`.
    static func mounts(_ table: String, statfs: [String]) -> [MountFacts] {
        var sizes: [String: FileSystemUsage] = [:]
        for line in statfs {
            let f = line.split(separator: " ", maxSplits: 6)
            let n = f.prefix(6).compactMap { Int($0) }
            guard f.count == 7, n.count == 6 else { continue }
            sizes[String(f[6])] = FileSystemUsage(
                fragmentSize: n[0], blockSize: n[1], blockTotal: n[2], blockAvailable: n[3], inodeTotal: n[4],
                inodeAvailable: n[5])
        }
        return table.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map { unescapeOctal(String($0)) }
            guard f.count >= 4, f[2] != "none", f[0].hasPrefix("/") || f[0].hasPrefix("\\") || f[0].contains(":/")
            else { return nil }
            return MountFacts(
                mount: f[1], device: f[0], fstype: f[2], options: f[3], dump: f.count > 4 ? Int(f[4]) ?? 0 : 0,
                passno: f.count > 5 ? Int(f[5]) ?? 0 : 0, usage: sizes[f[1]])
        }
    }

    /// `/proc/mounts` writes space, tab, newline and backslash as `\040`-style octal escapes.
    static func unescapeOctal(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var i = 0
        while i < source.count {
            if source[i] == UInt8(ascii: "\\"), i + 3 < source.count,
                let code = UInt8(String(decoding: source[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(code)
                i += 4
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
