/// Python's `os.path` functions on POSIX paths, for the `basename`, `dirname`, `path_join` and
/// `splitext` filters.
enum JinjaPathFunctions {
    static func basename(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }

    static func dirname(_ p: String) -> String {
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = String(p[...slash])
        if !head.allSatisfy({ $0 == "/" }) {
            while head.hasSuffix("/") { head.removeLast() }
        }
        return head
    }

    static func join(_ parts: [String]) -> String {
        var out = ""
        for part in parts {
            if part.hasPrefix("/") {
                out = part
            } else if out.isEmpty || out.hasSuffix("/") {
                out += part
            } else {
                out += "/" + part
            }
        }
        return out
    }

    static func splitext(_ p: String) -> (String, String) {
        let name = basename(p)
        guard let dot = name.lastIndex(of: "."), !name[..<dot].allSatisfy({ $0 == "." }) else { return (p, "") }
        let ext = String(name[dot...])
        return (String(p.dropLast(ext.count)), ext)
    }
}
