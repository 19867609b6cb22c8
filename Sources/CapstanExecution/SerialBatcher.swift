import CapstanPlaybook

/// `serial:`: splits a play's hosts into batches. Each entry is a count or a percentage of all the
/// play's hosts (rounded down, at least 1); the last entry repeats until every host has a batch.
/// No entries, or a zero, means one batch of every host.
enum SerialBatcher {
    /// A batch size that is not a count or a percentage.
    struct SerialError: Error, CustomStringConvertible {
        var description: String
    }

    /// Batches of `hosts` for the given sizes (templates already rendered by the caller).
    static func batches(_ hosts: [String], sizes: [SerialBatch]) throws -> [[String]] {
        guard !hosts.isEmpty else { return [] }
        guard !sizes.isEmpty else { return [hosts] }
        let counts = try sizes.map { size -> Int in
            switch size {
            case .count(let n): return n
            case .percent(let p):
                // A templated percentage may render to anything: NaN is an error, past 100% is every host.
                guard !p.isNaN else { throw SerialError(description: "serial percentage '\(p)%' is not a number") }
                let share = Double(hosts.count) * p / 100
                if share >= Double(hosts.count) { return hosts.count }
                return share < 1 ? 1 : Int(share.rounded(.down))
            case .template(let t): throw SerialError(description: "serial value '\(t)' was not rendered")
            }
        }
        if counts.count == 1 && counts[0] <= 0 { return [hosts] }
        var result: [[String]] = []
        var start = 0
        var i = 0
        while start < hosts.count {
            let size = counts[min(i, counts.count - 1)]
            let n = size <= 0 ? hosts.count - start : min(size, hosts.count - start)
            result.append(Array(hosts[start..<start + n]))
            start += n
            i += 1
        }
        return result
    }
}
