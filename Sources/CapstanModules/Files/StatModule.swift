import CapstanBasics
import Collections
import Foundation

/// `stat`: facts about one path, gathered by one command (`stat -c`, `readlink`, `test -r/-w/-x`,
/// `<algorithm>sum`, `file --mime-*`). Never changes anything.
public struct StatModule: Module {
    public static let name = "stat"
    static let algorithms = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
    public static let spec = ArgumentSpec([
        ArgumentDefinition("path", .path, required: true, aliases: ["dest", "name"]),
        ArgumentDefinition("follow", .bool, default: false),
        ArgumentDefinition("get_checksum", .bool, default: true),
        ArgumentDefinition(
            "checksum_algorithm", aliases: ["checksum", "checksum_algo"], choices: algorithms, default: "sha1"),
        ArgumentDefinition("get_mime", .bool, aliases: ["mime", "mime_type", "mime-type"], default: true),
        ArgumentDefinition("get_attributes", .bool, aliases: ["attr", "attributes"], default: true),
        ArgumentDefinition("get_selinux_context", .bool, default: false),
    ])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { self.arguments = arguments }

    /// The one program: `Z` (stat line|blocks|block size), `L` link text, `R` real path, `A` access
    /// letters, `K` the checksum tool's output, `M` the output of `file --mime-type --mime-encoding`
    /// (`N` when `file` failed).
    func program(path: String) -> String {
        let inputs: KeyValuePairs = [
            "p": path, "follow": RemoteProgram.flag(arguments.bool("follow")),
            "sum": arguments.bool("get_checksum") ? (arguments.string("checksum_algorithm") ?? "sha1") + "sum" : "",
            "mime": RemoteProgram.flag(arguments.bool("get_mime")),
        ]
        return FileShell.prelude + RemoteProgram.assignments(inputs) + NodePrograms.stat
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let path = arguments.string("path") ?? ""
        let result = try await context.connection.run(program(path: path), options: context.commandOptions)
        let report = FileReport(result.stdout)
        guard let line = report.first("Z"), let (state, blocks) = Self.statAndBlocks(line) else {
            return ModuleOutcome(status: .ok, fields: ["stat": .dict(["exists": false])])
        }
        let facts = Self.facts(state, blocks: blocks, path: path, report: report, getMime: arguments.bool("get_mime"))
        return ModuleOutcome(status: .ok, fields: ["stat": .dict(facts)])
    }

    /// A `Z` record's state (the stat line before its last two fields) and those two fields: blocks and
    /// block size.
    static func statAndBlocks(_ line: String) -> (RemoteFileState, [Int])? {
        guard let last = line.lastIndex(of: "|"), let second = line[..<last].lastIndex(of: "|"),
            let state = RemoteFileState(statLine: String(line[..<second]))
        else { return nil }
        return (state, line[line.index(after: second)...].split(separator: "|").map { Int($0) ?? 0 })
    }

    /// `"%04o" % mode`: stat's mode format (`0644`, `4751`), unlike the file modules' `0%03o`.
    static func fourDigitOctal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Ansible's `stat` dictionary from the program's report.
    static func facts(
        _ st: RemoteFileState, blocks: [Int], path: String, report: FileReport, getMime: Bool
    ) -> OrderedDictionary<String, Value> {
        let type = st.rawMode & 0o170000
        let m = st.mode
        let access = Set(report.all("A"))
        var d: OrderedDictionary<String, Value> = [
            "exists": true, "path": .string(path), "mode": .string(Self.fourDigitOctal(m)),
            "isdir": .bool(type == 0o040000), "ischr": .bool(type == 0o020000), "isblk": .bool(type == 0o060000),
            "isreg": .bool(type == 0o100000), "isfifo": .bool(type == 0o010000), "islnk": .bool(type == 0o120000),
            "issock": .bool(type == 0o140000), "uid": .int(st.uid), "gid": .int(st.gid), "size": .int(st.size),
            "inode": .int(st.inode), "dev": .int(st.device), "nlink": .int(st.links), "atime": .float(st.atime),
            "mtime": .float(st.mtime), "ctime": .float(st.ctime),
        ]
        let bits: [(String, UInt32)] = [
            ("wusr", 0o200), ("rusr", 0o400), ("xusr", 0o100), ("wgrp", 0o020), ("rgrp", 0o040), ("xgrp", 0o010),
            ("woth", 0o002), ("roth", 0o004), ("xoth", 0o001), ("isuid", 0o4000), ("isgid", 0o2000),
        ]
        for (key, bit) in bits { d[key] = .bool(m & bit != 0) }
        if blocks.count == 2 {
            d["blocks"] = .int(blocks[0])
            d["block_size"] = .int(blocks[1])
        }
        d["pw_name"] = .string(st.owner)
        d["gr_name"] = .string(st.group)
        if let target = report.first("L") {
            d["lnk_source"] = .string(report.first("R") ?? target)
            d["lnk_target"] = .string(target)
        }
        d["readable"] = .bool(access.contains("r"))
        d["writeable"] = .bool(access.contains("w"))
        d["executable"] = .bool(access.contains("x"))
        // `sha1sum` prints `<digest>  -`.
        if let line = report.first("K"), let digest = line.split(separator: " ").first {
            d["checksum"] = .string(String(digest))
        }
        if getMime {
            // `out.rsplit(':', 1)[1].split(';')`, else both stay `unknown`.
            d["mimetype"] = "unknown"
            d["charset"] = "unknown"
            if report.first("N") == nil, let line = report.first("M"), let colon = line.lastIndex(of: ":") {
                let parts = line[line.index(after: colon)...].split(separator: ";", omittingEmptySubsequences: false)
                let charset = parts.count == 2 ? parts[1].split(separator: "=", maxSplits: 1) : []
                if charset.count == 2 {
                    d["mimetype"] = .string(parts[0].trimmingCharacters(in: .whitespaces))
                    d["charset"] = .string(charset[1].trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return d
    }
}
