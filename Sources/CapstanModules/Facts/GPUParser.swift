import Foundation

/// Finds NVIDIA (vendor 0x10de) and AMD (0x1002) display/3D controllers (PCI class 0x03xxxx).
enum GPUParser {
    /// `sysfs`: lines `ADDRESS VENDOR DEVICE CLASS [DRIVER]` from `/sys/bus/pci/devices`;
    /// `lspci`: `lspci -nn -D` lines for class 03xx devices, which name the model. Devices only
    /// lspci sees (no sysfs) are still listed.
    static func parse(sysfs: [String], lspci: [String]) -> [GPU] {
        var models: [String: (vendor: GPU.Vendor, device: String, model: String)] = [:]
        var lspciOrder: [String] = []
        for line in lspci {
            guard let entry = lspciEntry(line) else { continue }
            models[entry.address] = (entry.vendor, entry.device, entry.model)
            lspciOrder.append(entry.address)
        }
        var gpus: [GPU] = []
        for line in sysfs {
            let f = line.split(separator: " ").map(String.init)
            guard f.count >= 4, let vendor = vendor(f[1]), f[3].hasPrefix("0x03") else { continue }
            gpus.append(
                GPU(
                    vendor: vendor, pciAddress: f[0], deviceID: f[2], model: models[f[0]]?.model,
                    driver: f.count > 4 ? f[4] : nil))
        }
        for address in lspciOrder where !gpus.contains(where: { $0.pciAddress == address }) {
            let entry = models[address]!
            gpus.append(GPU(vendor: entry.vendor, pciAddress: address, deviceID: entry.device, model: entry.model))
        }
        return gpus
    }

    static func vendor(_ id: String) -> GPU.Vendor? {
        switch id.lowercased() {
        case "0x10de", "10de": return .nvidia
        case "0x1002", "1002": return .amd
        default: return nil
        }
    }

    /// `0000:01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1)`
    /// gives the address, vendor, `0x2204` and `NVIDIA Corporation GA102 [GeForce RTX 3090]`.
    static func lspciEntry(_ line: String) -> (address: String, vendor: GPU.Vendor, device: String, model: String)? {
        guard let space = line.firstIndex(of: " "), let colon = line.range(of: "]: ") else { return nil }
        var model = String(line[colon.upperBound...])
        if let rev = model.range(of: " (rev ", options: .backwards) { model = String(model[..<rev.lowerBound]) }
        guard model.hasSuffix("]"), let open = model.range(of: " [", options: .backwards) else { return nil }
        let ids = model[open.upperBound..<model.index(before: model.endIndex)].split(separator: ":")
        guard ids.count == 2, let vendor = vendor(String(ids[0])) else { return nil }
        return (String(line[..<space]), vendor, "0x" + ids[1], String(model[..<open.lowerBound]))
    }
}
