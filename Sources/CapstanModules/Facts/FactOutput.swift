import CapstanBasics

/// The fact program's output split into its sections, with the files it read keyed by their path on
/// the host (the test-only root prefix removed).
public struct FactOutput: Sendable {
    /// Each section's lines, by section name (`uname`, `ip-addr`, ...).
    public private(set) var sections: [String: [String]] = [:]
    /// Each file's content (lines joined with newlines), by path: `/proc/cpuinfo`.
    public private(set) var files: [String: String] = [:]
    /// The remote environment in the order `env` printed it.
    public private(set) var environment: [(name: String, value: String)] = []

    /// Splits raw program output.
    public init(_ bytes: [UInt8]) {
        var current = ""
        var fileLines: [String: [String]] = [:]
        var lineStart = bytes.startIndex
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            if let name = Self.marker(line) {
                current = name
                if sections[name] == nil { sections[name] = [] }
                // The environment may hold anything, even marker-like lines: it is last and read to the end.
                if name == "env" {
                    environment = Self.environment(Array(bytes[min(lineStart, bytes.endIndex)...]))
                    break
                }
            } else if current == "files", let nul = line.firstIndex(of: 0) {
                let path = String(decoding: line[..<nul], as: UTF8.self)
                fileLines[path, default: []].append(String(decoding: line[(nul + 1)...], as: UTF8.self))
            } else if !current.isEmpty {
                sections[current, default: []].append(String(decoding: line, as: UTF8.self))
            }
        }
        let root = sections["root"]?.first ?? ""
        for (path, lines) in fileLines {
            let key = !root.isEmpty && path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
            files[key] = lines.joined(separator: "\n")
        }
    }

    /// The lines of a section; empty when the program did not print it.
    public func lines(_ section: String) -> [String] { sections[section] ?? [] }

    /// Whether the program printed a section (a group that was not gathered prints none).
    public func has(_ section: String) -> Bool { sections[section] != nil }

    /// A file's content, or nil when it did not exist or was unreadable.
    public func file(_ path: String) -> String? { files[path] }

    /// A file's first line, trimmed; nil when missing or empty.
    public func firstLine(_ path: String) -> String? {
        guard let text = files[path], let line = text.split(separator: "\n").first else { return nil }
        let trimmed = line.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `==name==` alone on a line.
    private static func marker(_ line: ArraySlice<UInt8>) -> String? {
        guard line.count > 4, line.starts(with: [61, 61]), line.suffix(2).elementsEqual([61, 61]) else { return nil }
        let name = line.dropFirst(2).dropLast(2)
        guard name.allSatisfy({ $0 == UInt8(ascii: "-") || (97...122).contains($0) }) else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// `export -p` output: `export NAME='value'` words, values sh-quoted (possibly over several lines).
    private static func environment(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        let words = (try? ShellWords.split(String(decoding: bytes, as: UTF8.self))) ?? []
        return words.compactMap { word in
            guard word != "export", let eq = word.firstIndex(of: "=") else { return nil }
            return (String(word[..<eq]), String(word[word.index(after: eq)...]))
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
