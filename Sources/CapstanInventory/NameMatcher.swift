import CapstanBasics
import Foundation

/// Matches names against a shell glob (fnmatch, case-sensitive, whole name) or a `~regex`
/// (Python's `re.match`: anchored at the start only).
struct NameMatcher {
    private let regex: NSRegularExpression?
    private let glob: [Character]?
    private let literal: String?

    init(_ pattern: String) throws {
        if pattern.hasPrefix("~") {
            do {
                regex = try NSRegularExpression(pattern: String(pattern.dropFirst()))
            } catch {
                throw InventoryError("Invalid host list pattern: \(pattern)")
            }
            glob = nil
            literal = nil
        } else if pattern.contains(where: { "*?[".contains($0) }) {
            regex = nil
            glob = Array(pattern)
            literal = nil
        } else {
            regex = nil
            glob = nil
            literal = pattern
        }
    }

    func matches(_ name: String) -> Bool {
        if let literal { return literal == name }
        if let regex {
            let range = NSRange(name.startIndex..., in: name)
            return regex.firstMatch(in: name, options: [.anchored], range: range) != nil
        }
        return Glob.match(glob!, Array(name))
    }
}
