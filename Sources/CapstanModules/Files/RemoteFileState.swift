import CapstanBasics
import Collections

/// What GNU `stat -c` says about one path on the node: the typed fact the file modules decide from.
public struct RemoteFileState: Sendable, Equatable {
    /// The file type, as Ansible's `file` module names it (`hard` is decided from `nlink`).
    public enum Kind: String, Sendable { case file, directory, link, other }

    /// What the path is (not following a symlink unless stat was told to).
    public var kind: Kind
    /// Permission bits (`st_mode & 0o7777`).
    public var mode: UInt32
    /// Size in bytes.
    public var size: Int
    /// The owner's number.
    public var uid: Int
    /// The group's number.
    public var gid: Int
    /// The owner's name, or `UNKNOWN` when the node has none for `uid`.
    public var owner: String
    /// The group's name, or `UNKNOWN`.
    public var group: String
    /// Modification, access and change times, in seconds since 1970 with nanoseconds.
    public var mtime: Double
    /// Last access time.
    public var atime: Double
    /// Last status change time.
    public var ctime: Double
    /// The inode number.
    public var inode: Int
    /// The device the path lives on.
    public var device: Int
    /// The number of hard links.
    public var links: Int
    /// The raw `st_mode` (type and permission bits).
    public var rawMode: UInt32

    /// The `stat -c` format this type parses: fields separated by `|` (no user or group name holds one).
    public static let statFormat = "%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h"

    /// Parses one line printed with `statFormat`.
    public init?(statLine: String) {
        let f = statLine.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 12, let raw = UInt32(f[0], radix: 16), let size = Int(f[1]), let uid = Int(f[2]),
            let gid = Int(f[3]), let inode = Int(f[9]), let device = Int(f[10]), let links = Int(f[11])
        else { return nil }
        rawMode = raw
        switch raw & 0o170000 {
        case 0o100000: kind = .file
        case 0o040000: kind = .directory
        case 0o120000: kind = .link
        default: kind = .other
        }
        mode = raw & 0o7777
        self.size = size
        self.uid = uid
        self.gid = gid
        owner = f[4]
        group = f[5]
        mtime = Double(f[6]) ?? 0
        atime = Double(f[7]) ?? 0
        ctime = Double(f[8]) ?? 0
        self.inode = inode
        self.device = device
        self.links = links
    }

    /// Ansible's `get_state`: link, directory, hard (a regular file with more than one link) or file.
    public var ansibleState: String {
        switch kind {
        case .link: return "link"
        case .directory: return "directory"
        default: return links > 1 ? "hard" : "file"
        }
    }

    /// The fields `AnsibleModule.add_path_info` adds to a result for an existing path.
    public var pathInfo: OrderedDictionary<String, Value> {
        [
            "uid": .int(uid), "gid": .int(gid), "owner": .string(owner), "group": .string(group),
            "mode": .string(ModeParser.format(mode)), "state": .string(ansibleState), "size": .int(size),
        ]
    }

    /// Whether `owner` (a name or a number) names this file's owner.
    func ownerMatches(_ wanted: String) -> Bool { Int(wanted).map { $0 == uid } ?? (wanted == owner) }

    /// Whether `group` (a name or a number) names this file's group.
    func groupMatches(_ wanted: String) -> Bool { Int(wanted).map { $0 == gid } ?? (wanted == group) }
}
