/// A plain-text table with columns padded to their widest cell, as `kubectl get` prints one.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    /// A table of `rows` under `header`.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The lines, each ending in a line break; the last column is not padded.
    public var text: String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 3)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
