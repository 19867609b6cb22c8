import Foundation

/// The annotated source excerpt Ansible prints under an error (`Origin: FILE:LINE:COL`, the two lines
/// before, the line itself and a caret at the column), from its `SourceContext.from_origin`.
public enum SourceContext {
    /// Lines shown before the target line.
    static let contextLines = 2
    /// The widest annotated line before truncation with `...`.
    static let maxWidth = 120

    /// `Origin: LOCATION` and, when the file can be read, the annotated lines; `location` is
    /// `FILE:LINE:COL` (COL optional), `source` the file's text.
    public static func render(location: String, source: String?) -> String {
        var text = "Origin: \(location)"
        let parts = location.split(separator: ":", omittingEmptySubsequences: false)
        var lineNumber: Int?
        var column: Int?
        if parts.count >= 3, let l = Int(parts[parts.count - 2]), let c = Int(parts[parts.count - 1]) {
            (lineNumber, column) = (l, c)
        } else if parts.count >= 2, let l = Int(parts[parts.count - 1]) {
            lineNumber = l
        }
        guard let target = lineNumber, target >= 1, let source else { return text }
        let all = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = max(0, target - 1 - contextLines)
        guard target <= all.count else { return text + "\n\n(source not shown: file truncated)" }
        let labelWidth = String(target).count
        let maxLine = maxWidth - labelWidth - 1
        var usable = maxLine
        var annotated: [String] = []
        for index in start..<target {
            var line = all[index].replacingOccurrences(of: "\t", with: " ")
            if line.count > maxLine {
                line = String(line.prefix(maxLine - 3)) + "..."
                usable = maxLine - 3
            }
            let label = String(repeating: " ", count: labelWidth - String(index + 1).count) + String(index + 1)
            annotated.append(line.isEmpty ? label : "\(label) \(line)")
        }
        if let column, usable >= column, column >= 1 {
            var marker = "column \(column)"
            if column - 1 + 2 + marker.count > maxLine {
                marker = String(repeating: " ", count: max(0, column - 1 - marker.count - 1)) + marker + " ^"
            } else {
                marker = String(repeating: " ", count: column - 1) + "^ " + marker
            }
            annotated.append(String(repeating: " ", count: labelWidth) + " " + marker)
        } else if column == nil, let last = annotated.last {
            annotated.append(
                String(repeating: " ", count: labelWidth) + " "
                    + String(repeating: "^", count: max(0, last.count - labelWidth - 1)))
        }
        text += "\n\n" + annotated.joined(separator: "\n")
        return text
    }
}
