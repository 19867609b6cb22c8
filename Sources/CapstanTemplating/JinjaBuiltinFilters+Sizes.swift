import CapstanBasics
import Foundation

/// Ansible's `human_readable` and `human_to_bytes`: sizes with binary unit prefixes (1K = 1024).
extension JinjaBuiltinFilters {
    private static let sizeRanges: [(String, Double)] = [
        ("Y", 0x1p80), ("Z", 0x1p70), ("E", 0x1p60), ("P", 0x1p50), ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20),
        ("K", 0x1p10), ("B", 1),
    ]
    private static let unitNames: [String: (bytes: String, bits: String)] = [
        "B": ("byte", "bit"), "K": ("kilobyte", "kilobit"), "M": ("megabyte", "megabit"), "G": ("gigabyte", "gigabit"),
        "T": ("terabyte", "terabit"), "P": ("petabyte", "petabit"), "E": ("exabyte", "exabit"),
        "Z": ("zetabyte", "zetabit"), "Y": ("yottabyte", "yottabit"),
    ]

    static func registerSizes(in env: TemplateEnvironment) {
        env.registerFilter("human_readable") { args in
            guard let size = JinjaPythonOperators.number(args.input)?.double else {
                throw TemplateError("human_readable() failed on bad input")
            }
            let isBits = args.flag(0, "isbits")
            let unit = args.argument(1, "unit").flatMap { $0 == .null ? nil : $0.pythonString.uppercased() }
            var chosen = sizeRanges[sizeRanges.count - 1]
            for range in sizeRanges where (unit == nil && size >= range.1) || unit?.first.map(String.init) == range.0 {
                chosen = range
                break
            }
            let base = isBits ? "bits" : "Bytes"
            let suffix = chosen.1 != 1 ? chosen.0 + String(base.prefix(1)) : base
            return .string(String(format: "%.2f %@", size / chosen.1, suffix))
        }
        env.registerFilter("human_to_bytes") { args in
            try .int(
                humanToBytes(
                    args.input.pythonString, defaultUnit: args.argument(0, "default_unit"),
                    isBits: args.flag(1, "isbits")))
        }
    }

    private static func humanToBytes(_ text: String, defaultUnit: Value?, isBits: Bool) throws -> Int {
        let regex = try JinjaPythonRegex.compile(#"^([0-9]*\.?[0-9]+)(?:\s*([A-Za-z]+))?\s*$"#)
        let ns = text as NSString
        guard let m = regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)),
            let number = JinjaPythonRegex.group(m, 1, in: ns).flatMap(Double.init)
        else { throw TemplateError("human_to_bytes() can't interpret the input") }
        guard
            let unit = JinjaPythonRegex.group(m, 2, in: ns)
                ?? defaultUnit.flatMap({ $0 == .null ? nil : $0.pythonString })
        else {
            guard let n = Int(exactly: number.rounded(.toNearestOrEven)) else {
                throw TemplateError("human_to_bytes() can't interpret the input")
            }
            return n
        }
        let key = String(unit.prefix(1)).uppercased()
        guard let limit = sizeRanges.first(where: { $0.0 == key })?.1, let names = unitNames[key] else {
            throw TemplateError("human_to_bytes() can't interpret the input")
        }
        if unit.count > 1 {
            let classLetter = isBits ? "b" : "B"
            let longName = isBits ? names.bits : names.bytes
            let shortName = key == "B" ? classLetter : key + classLetter
            guard unit.lowercased() == longName || unit == shortName else {
                throw TemplateError("human_to_bytes() can't interpret the input")
            }
        }
        guard let bytes = Int(exactly: (number * limit).rounded(.toNearestOrEven)) else {
            throw TemplateError("human_to_bytes() can't interpret the input")
        }
        return bytes
    }
}
