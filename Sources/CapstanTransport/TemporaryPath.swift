import Foundation

/// Names the temporary file an upload writes before renaming it into place: a hidden file in the
/// target's own directory, so the rename stays on one filesystem and is atomic.
package enum TemporaryPath {
    /// `dir/.name.capstan-<random>.tmp` for `dir/name`.
    package static func beside(_ path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let token = UUID().uuidString.prefix(8).lowercased()
        return "\(directory).\(name).capstan-\(token).tmp"
    }

    /// `owner:group`, `owner` or `:group` for chown; `nil` when neither is set.
    static func chownSpec(_ attributes: FileAttributes) -> String? {
        switch (attributes.owner, attributes.group) {
        case (nil, nil): return nil
        case (let owner?, nil): return owner
        case (nil, let group?): return ":" + group
        case (let owner?, let group?): return owner + ":" + group
        }
    }
}
