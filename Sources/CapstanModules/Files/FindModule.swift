import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `find` (ansible.builtin): one `find -printf` per path lists every entry with its lstat, Swift
/// replays Python's `os.walk` over that listing (a folder's files before its folders, then each
/// folder in turn) with the module's filters, and a second command reads contents (`contains`) or
/// digests (`get_checksum`) of the files still in the running, only when asked. `follow`, a symbolic
/// `mode` and an `encoding` other than UTF-8 run Ansible's own module (the fallback).
public struct FindModule: Module {
    public static let name = "find"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("paths", .list, required: true, aliases: ["name", "path"], elements: .path),
        ArgumentDefinition("patterns", .list, aliases: ["pattern"], default: .list([]), elements: .string),
        ArgumentDefinition("excludes", .list, aliases: ["exclude"], elements: .string),
        ArgumentDefinition("contains"), ArgumentDefinition("read_whole_file", .bool, default: false),
        ArgumentDefinition("file_type", choices: ["any", "directory", "file", "link"], default: "file"),
        ArgumentDefinition("age"),
        ArgumentDefinition("age_stamp", choices: ["atime", "ctime", "mtime"], default: "mtime"),
        ArgumentDefinition("size"), ArgumentDefinition("recurse", .bool, default: false),
        ArgumentDefinition("hidden", .bool, default: false), ArgumentDefinition("follow", .bool, default: false),
        ArgumentDefinition("get_checksum", .bool, default: false),
        ArgumentDefinition(
            "checksum_algorithm", aliases: ["checksum", "checksum_algo"],
            choices: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"], default: "sha1"),
        ArgumentDefinition("use_regex", .bool, default: false), ArgumentDefinition("depth", .int),
        ArgumentDefinition("mode", .raw), ArgumentDefinition("exact_mode", .bool, default: true),
        ArgumentDefinition("encoding"), ArgumentDefinition("limit", .int),
    ])

    let arguments: ModuleArguments
    let paths: [String]
    let patterns: [String]
    let excludes: [String]
    let useRegex: Bool
    let fileType: String
    let contains: String?
    let readWholeFile: Bool
    let recurse: Bool
    let hidden: Bool
    let depth: Int?
    let limit: Int?
    let ageStamp: String
    let checksum: String?
    let exactMode: Bool
    /// Why Ansible's own module must run instead (follow, symbolic mode, other encodings).
    let needsFallback: Bool
    /// The argument errors Ansible's module reports when it runs (not at validation).
    let failure: ModuleOutcome?
    let age: Int?
    let size: Int?
    let mode: UInt32?

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        func strings(_ name: String) -> [String] { arguments[name]?.listValue?.compactMap(\.stringValue) ?? [] }
        paths = strings("paths")
        useRegex = arguments.bool("use_regex")
        let given = strings("patterns")
        patterns = given.isEmpty ? [useRegex ? ".*" : "*"] : given
        excludes = strings("excludes")
        fileType = arguments.string("file_type") ?? "file"
        contains = arguments.string("contains")
        readWholeFile = arguments.bool("read_whole_file")
        recurse = arguments.bool("recurse")
        hidden = arguments.bool("hidden")
        if case .int(let d)? = arguments["depth"], d != 0 { depth = d } else { depth = nil }
        if case .int(let l)? = arguments["limit"] { limit = l } else { limit = nil }
        ageStamp = arguments.string("age_stamp") ?? "mtime"
        checksum = arguments.bool("get_checksum") ? (arguments.string("checksum_algorithm") ?? "sha1") : nil
        exactMode = arguments.bool("exact_mode")
        var fallback = arguments.bool("follow")
        if let encoding = arguments.string("encoding"),
            !["utf-8", "utf8", "utf_8", "u8"].contains(encoding.lowercased())
        {
            fallback = true
        }
        var failure: ModuleOutcome?
        var mode: UInt32?
        switch arguments["mode"] {
        case nil, .null?: break
        case .string(let text)?:
            if !text.isEmpty {
                if let octal = UInt32(text, radix: 8) { mode = octal & 0o7777 } else { fallback = true }
            }
        case let other?:
            if other.isTruthy {
                let type: String
                switch other {
                case .int: type = "int"
                case .float: type = "float"
                case .bool: type = "bool"
                case .list: type = "list"
                case .dict: type = "dict"
                default: type = "str"
                }
                failure = .failed(
                    "argument 'mode' is not a string and conversion is not allowed, value is of type \(type)")
            }
        }
        self.mode = mode
        var age: Int?
        if failure == nil, let text = arguments.string("age") {
            age = Self.amount(text, units: ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800])
            if age == nil { failure = .failed("failed to process age", ["age": .string(text)]) }
        }
        self.age = age
        var size: Int?
        if failure == nil, let text = arguments.string("size") {
            size = Self.amount(text, units: ["b": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40])
            if size == nil { failure = .failed("failed to process size", ["size": .string(text)]) }
        }
        self.size = size
        if failure == nil, let limit, limit <= 0 {
            failure = .failed("limit cannot be \(limit) (use None for unlimited)")
        }
        self.failure = failure
        needsFallback = fallback
    }

    /// `^(-?\d+)(UNIT)?$` on the lowercased text, times the unit.
    static func amount(_ text: String, units: [Character: Int]) -> Int? {
        var digits = Substring(text.lowercased())
        var factor = 1
        if let last = digits.last, let unit = units[last] {
            factor = unit
            digits = digits.dropLast()
        }
        let body = digits.hasPrefix("-") ? digits.dropFirst() : digits
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        return n * factor
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        if let failure { return failure }
        if needsFallback {
            let fallback = AnsibleModuleFallback(
                module: "ansible.builtin.find", arguments: arguments.values, interpreter: nil, libraryFolders: [],
                moduleUtilsFolders: [], noLog: false, verbosity: 0)
            return try await fallback.run(in: context)
        }
        let levels = recurse ? depth.map { "-maxdepth \($0 + 1)" } ?? "" : "-maxdepth 1"
        let listed = try await RemoteProgram.run(
            ["paths": paths.joined(separator: "\n"), "maxdepth": levels], NodePrograms.findWalk, in: context)
        var listing = FindListing(listed.rawStdout)
        listing.readErrors = Self.readErrors(listed.stderr)
        var walk = FindWalk(module: self, listing: listing)
        let candidates = walk.candidates()
        if !candidates.isEmpty && (contains != nil || checksum != nil) {
            let read = try await RemoteProgram.run(
                [
                    "files": candidates.joined(separator: "\n"), "read": RemoteProgram.flag(contains != nil),
                    "sum": checksum.map { $0 + "sum" } ?? "",
                ], NodePrograms.findRead, in: context)
            walk.contents = FindContents(read.rawStdout, files: candidates, read: contains != nil, sum: checksum != nil)
        }
        let result: FindWalk.Result
        do { result = try walk.run() } catch let error as PythonRegex.PatternError { return .failed("\(error)") }
        var fields: OrderedDictionary<String, Value> = [
            "files": .list(result.files.map(Value.dict)), "msg": .string(result.msg),
            "matched": .int(result.files.count), "examined": .int(result.examined),
            "skipped_paths": .dict(result.skipped),
        ]
        if !result.warnings.isEmpty { fields["warnings"] = .list(result.warnings.map(Value.string)) }
        return ModuleOutcome(status: .ok, fields: fields)
    }

    /// find's `find: 'PATH': Permission denied` (and the like) lines, as Python's `str(OSError)`
    /// by path: `[Errno 13] Permission denied: 'PATH'`.
    static func readErrors(_ stderr: String) -> [String: String] {
        var errors: [String: String] = [:]
        let known = ["Permission denied": 13, "No such file or directory": 2, "Operation not permitted": 1]
        for line in stderr.split(separator: "\n") where line.hasPrefix("find: '") {
            let body = line.dropFirst("find: '".count)
            guard let end = body.range(of: "': ", options: .backwards) else { continue }
            let path = String(body[..<end.lowerBound])
            let reason = String(body[end.upperBound...])
            guard let errno = known[reason] else { continue }
            errors[path] = "[Errno \(errno)] \(reason): \(pythonRepr(path))"
        }
        return errors
    }

    /// Python's `repr` of a plain string: single quotes unless it holds one and no double quote.
    static func pythonRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case quote: out += "\\" + String(c)
            default: out.append(c)
            }
        }
        out.append(quote)
        return out
    }
}

/// What `find-walk.sh` printed: the node's clock and, per path, whether it is a folder and the
/// entries below it.
struct FindListing {
    struct Entry {
        var depth: Int
        var type: Character
        var targetType: Character
        var mode: UInt32
        var uid: Int
        var gid: Int
        var size: Int
        var inode: Int
        var device: Int
        var links: Int
        var atime: Double
        var mtime: Double
        var ctime: Double
        var user: String
        var group: String
        /// The path below the root (`a/b`).
        var relative: String
        var name: String { relative.split(separator: "/").last.map(String.init) ?? relative }
        var parent: String {
            guard let slash = relative.lastIndex(of: "/") else { return "" }
            return String(relative[..<slash])
        }
    }

    struct Root {
        var path: String
        var isDirectory: Bool
        /// Entries by their parent's relative path, in the order the folder lists them.
        var children: [String: [Entry]] = [:]
    }

    var now: Double = 0
    var roots: [Root] = []
    /// Paths find could not read, with Python's message.
    var readErrors: [String: String] = [:]

    init(_ bytes: [UInt8]) {
        let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        var i = 0
        func next() -> String {
            defer { i += 1 }
            return i < fields.count ? fields[i] : ""
        }
        while i < fields.count {
            switch next() {
            case "N": now = Self.time(next())
            case "R":
                let path = next()
                roots.append(Root(path: path, isDirectory: next() == "1"))
            case "E":
                let f = (0..<16).map { _ in next() }
                let entry = Entry(
                    depth: Int(f[0]) ?? 0, type: f[1].first ?? "?", targetType: f[2].first ?? "?",
                    mode: UInt32(f[3], radix: 8) ?? 0, uid: Int(f[4]) ?? 0, gid: Int(f[5]) ?? 0, size: Int(f[6]) ?? 0,
                    inode: Int(f[7]) ?? 0, device: Int(f[8]) ?? 0, links: Int(f[9]) ?? 0, atime: Self.time(f[10]),
                    mtime: Self.time(f[11]), ctime: Self.time(f[12]), user: f[13] == f[4] ? "" : f[13],
                    group: f[14] == f[5] ? "" : f[14], relative: f[15])
                if !roots.isEmpty { roots[roots.count - 1].children[entry.parent, default: []].append(entry) }
            default: continue
            }
        }
    }

    /// Seconds with a fraction as Python's `st_mtime` computes it: `sec + nsec * 1e-9` in doubles.
    static func time(_ text: String) -> Double {
        let parts = text.split(separator: ".", maxSplits: 1)
        let seconds = Double(parts.first.flatMap { Int($0) } ?? 0)
        guard parts.count == 2 else { return seconds }
        let digits = String(parts[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
        return seconds + Double(Int(digits) ?? 0) * 1e-9
    }
}

/// What `find-read.sh` printed: each file's bytes (nil when unreadable) and digest.
struct FindContents {
    var bytes: [String: [UInt8]] = [:]
    var digests: [String: String] = [:]

    init() {}

    init(_ out: [UInt8], files: [String], read: Bool, sum: Bool) {
        var i = 0
        func line() -> String {
            var end = i
            while end < out.count && out[end] != 0x0A { end += 1 }
            defer { i = min(end + 1, out.count) }
            return String(decoding: out[i..<end], as: UTF8.self)
        }
        for file in files {
            if read, let n = Int(line()), n >= 0 {
                let end = min(i + n, out.count)
                bytes[file] = Array(out[i..<end])
                i = end
            }
            if sum { digests[file] = line() }
        }
    }
}

/// Python's `os.walk` over a listing, with the find module's filters, in the module's order.
struct FindWalk {
    let module: FindModule
    let listing: FindListing
    var contents = FindContents()

    struct Result {
        var files: [OrderedDictionary<String, Value>] = []
        var examined = 0
        var skipped: OrderedDictionary<String, Value> = [:]
        var msg = "All paths examined"
        var warnings: [String] = []
    }

    /// One walked entry: its path as the module reports it, and the entry.
    struct Visit {
        var path: String
        var entry: FindListing.Entry
    }

    init(module: FindModule, listing: FindListing) {
        self.module = module
        self.listing = listing
    }

    /// Regular files that pass every filter but the content one: those whose bytes or digests a
    /// second command reads.
    func candidates() -> [String] {
        var out: [String] = []
        _ = walk { visit, _ in
            let e = visit.entry
            guard e.type == "f", module.fileType == "file" || module.fileType == "any" else { return .next }
            if (try? passesCommon(e)) == true && (module.fileType == "any" || sizeOK(e)) { out.append(visit.path) }
            return .next
        }
        return out
    }

    enum Step { case next, stopRoot }

    /// Calls `body` for each reported entry (after the depth and hidden checks) in os.walk order,
    /// with the result so far; `body` may end the current path's walk.
    func walk(_ body: (Visit, inout Result) throws -> Step) rethrows -> Result {
        var result = Result()
        for root in listing.roots {
            guard root.isDirectory else {
                result.skipped[root.path] = .string("'\(root.path)' is not a directory")
                result.warnings.append(
                    "Skipped '\(root.path)' path due to this access issue: '\(root.path)' is not a directory\n")
                result.msg = "Not all paths examined, check warnings for details"
                continue
            }
            let wpath = Self.rstripSlash(root.path) + "/"
            var stack: [(top: String, relative: String)] = [(root.path, "")]
            rootLoop: while let next = stack.popLast() {
                let (top, relative) = next
                if let error = listing.readErrors[top] {
                    result.skipped[top] = .string(error)
                    continue
                }
                let entries = root.children[relative] ?? []
                let files = entries.filter { $0.targetType != "d" }
                let dirs = entries.filter { $0.targetType == "d" }
                result.examined += entries.count
                var walkDirs = dirs
                for entry in files + dirs {
                    let path = Self.normpath(Self.join(top, entry.name))
                    if let depth = module.depth {
                        let level = path.filter { $0 == "/" }.count - wpath.filter { $0 == "/" }.count + 1
                        if level > depth {
                            walkDirs = []
                            continue
                        }
                    }
                    if entry.name.hasPrefix(".") && !module.hidden { continue }
                    if try body(Visit(path: path, entry: entry), &result) == .stopRoot { break rootLoop }
                }
                if !module.recurse { break }
                // Depth first, each folder in order; symlinks to folders are listed, not walked.
                for dir in walkDirs.reversed() where dir.type == "d" {
                    stack.append((Self.join(top, dir.name), relative.isEmpty ? dir.name : relative + "/" + dir.name))
                }
            }
        }
        return result
    }

    /// The module's walk with every filter.
    func run() throws -> Result {
        try walk { visit, result in
            let e = visit.entry
            var record: OrderedDictionary<String, Value> = ["path": .string(visit.path)]
            var keep = false
            switch (module.fileType, e.type) {
            case ("any", _):
                if try passesCommon(e) {
                    record.merge(Self.statInfo(e)) { _, new in new }
                    if e.type == "f", module.checksum != nil {
                        record["checksum"] = .string(contents.digests[visit.path] ?? "")
                    }
                    keep = e.type != "f" || sizeOK(e)
                }
            case ("directory", "d"), ("link", "l"):
                if try passesCommon(e) {
                    record.merge(Self.statInfo(e)) { _, new in new }
                    keep = true
                }
            case ("file", "f"):
                if try pattern(e.name) && ageOK(e) && sizeOK(e) {
                    switch try contentOK(visit.path) {
                    case .some(true):
                        if modeOK(e) {
                            record.merge(Self.statInfo(e)) { _, new in new }
                            if module.checksum != nil {
                                record["checksum"] = .string(contents.digests[visit.path] ?? "")
                            }
                            keep = true
                        }
                    case .some(false): break
                    case nil:
                        let message =
                            "Failed to read the file \(visit.path) due to an encoding error. current encoding: "
                            + "None (default determined by the Python built-in function \"open\")"
                        let root =
                            listing.roots.first { visit.path.hasPrefix(FindWalk.rstripSlash($0.path)) }?.path
                            ?? visit.path
                        result.skipped[root] = .string(message)
                        result.warnings.append("Skipped '\(root)' path due to this access issue: \(message)\n")
                        result.msg = "Not all paths examined, check warnings for details"
                        return .stopRoot
                    }
                }
            default: break
            }
            if keep { result.files.append(record) }
            if let limit = module.limit, result.files.count == limit {
                if !result.msg.hasPrefix("Not all") { result.msg = "Limit of matches reached" }
                return .stopRoot
            }
            return .next
        }
    }

    func passesCommon(_ e: FindListing.Entry) throws -> Bool { try pattern(e.name) && ageOK(e) && modeOK(e) }

    /// `pfilter`: a pattern matches and, when one does, no exclude does.
    func pattern(_ name: String) throws -> Bool {
        func matches(_ p: String) throws -> Bool {
            if module.useRegex {
                guard let m = try PythonRegex(p).firstMatch(in: name) else { return false }
                return m.range.location == 0
            }
            return Glob.match(Array(p), Array(name))
        }
        for p in module.patterns {
            guard try matches(p) else { continue }
            for e in module.excludes {
                if try matches(e) { return false }
            }
            return true
        }
        return false
    }

    func ageOK(_ e: FindListing.Entry) -> Bool {
        guard let age = module.age else { return true }
        let stamp = module.ageStamp == "atime" ? e.atime : module.ageStamp == "ctime" ? e.ctime : e.mtime
        let elapsed = listing.now - stamp
        return age >= 0 ? elapsed >= Double(abs(age)) : elapsed <= Double(abs(age))
    }

    func sizeOK(_ e: FindListing.Entry) -> Bool {
        guard let size = module.size else { return true }
        return size >= 0 ? e.size >= abs(size) : e.size <= abs(size)
    }

    func modeOK(_ e: FindListing.Entry) -> Bool {
        guard let mode = module.mode else { return true }
        return module.exactMode ? e.mode == mode : e.mode & mode != 0
    }

    /// `contentfilter`: true, false, or nil for a file that is not UTF-8 (the module stops the path).
    func contentOK(_ path: String) throws -> Bool? {
        guard let pattern = module.contains else { return true }
        guard let bytes = contents.bytes[path] else { return false }
        guard let raw = String(validating: bytes, as: UTF8.self) else { return nil }
        let text = IniFileModule.pythonText(Array(raw.utf8)) ?? raw
        let regex = try PythonRegex(pattern)
        if module.readWholeFile { return regex.firstMatch(in: text) != nil }
        for line in IniFileModule.pythonLines(text) {
            if let m = regex.firstMatch(in: line), m.range.location == 0 { return true }
        }
        return false
    }

    /// The module's `statinfo`: mode text, type flags, ids, sizes, times, names, permission bits.
    static func statInfo(_ e: FindListing.Entry) -> OrderedDictionary<String, Value> {
        let m = e.mode
        func bit(_ b: UInt32) -> Value { .bool(m & b != 0) }
        return [
            "mode": .string(String(format: "%04o", m & 0o7777)), "isdir": .bool(e.type == "d"),
            "ischr": .bool(e.type == "c"), "isblk": .bool(e.type == "b"), "isreg": .bool(e.type == "f"),
            "isfifo": .bool(e.type == "p"), "islnk": .bool(e.type == "l"), "issock": .bool(e.type == "s"),
            "uid": .int(e.uid), "gid": .int(e.gid), "size": .int(e.size), "inode": .int(e.inode),
            "dev": .int(e.device), "nlink": .int(e.links), "atime": .float(e.atime), "mtime": .float(e.mtime),
            "ctime": .float(e.ctime), "gr_name": .string(e.group), "pw_name": .string(e.user),
            "wusr": bit(0o200), "rusr": bit(0o400), "xusr": bit(0o100), "wgrp": bit(0o020), "rgrp": bit(0o040),
            "xgrp": bit(0o010), "woth": bit(0o002), "roth": bit(0o004), "xoth": bit(0o001),
            "isuid": bit(0o4000), "isgid": bit(0o2000),
        ]
    }

    /// Python's `path.rstrip('/')`.
    static func rstripSlash(_ s: String) -> String {
        var s = Substring(s)
        while s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }

    /// `os.path.join(a, b)` for a relative `b`.
    static func join(_ a: String, _ b: String) -> String {
        a.isEmpty || a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// `os.path.normpath` (POSIX).
    static func normpath(_ path: String) -> String {
        if path.isEmpty { return "." }
        var initial = path.hasPrefix("/") ? 1 : 0
        if path.hasPrefix("//") && !path.hasPrefix("///") { initial = 2 }
        var parts: [Substring] = []
        for comp in path.split(separator: "/") where comp != "." {
            if comp != ".." || (initial == 0 && parts.isEmpty) || (!parts.isEmpty && parts.last == "..") {
                parts.append(comp)
            } else if !parts.isEmpty {
                parts.removeLast()
            }
        }
        let joined = parts.joined(separator: "/")
        let result = String(repeating: "/", count: initial) + joined
        return result.isEmpty ? "." : result
    }
}
