/// The fields of `/proc/self/status` facts need: the ids the program ran with and the CPUs it may use.
/// (`self` is the `grep` that read it, which shares the shell's ids and CPU affinity.)
struct ProcStatus {
    var realUID = -1, effectiveUID = -1, realGID = -1, effectiveGID = -1
    /// How many CPUs `Cpus_allowed_list` names (`0-3,8` is 5), as `nproc` counts them.
    var allowedCPUs: Int?

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 2 else { continue }
            switch words[0] {
            case "Uid:" where words.count >= 3:
                (realUID, effectiveUID) = (Int(words[1]) ?? -1, Int(words[2]) ?? -1)
            case "Gid:" where words.count >= 3:
                (realGID, effectiveGID) = (Int(words[1]) ?? -1, Int(words[2]) ?? -1)
            case "Cpus_allowed_list:":
                allowedCPUs = Self.count(words[1])
            default:
                break
            }
        }
    }

    static func count(_ list: String) -> Int? {
        var total = 0
        for range in list.split(separator: ",") {
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            guard let low = bounds.first, let high = bounds.last, high >= low else { return nil }
            total += high - low + 1
        }
        return total
    }
}
