/// Runs work for many items with at most `limit` at once (Ansible's forks, k0sctl's batched
/// parallel each): never an unbounded fan-out of tasks.
package enum BoundedConcurrency {
    /// Calls `body` for every item, `limit` at a time, and returns the results in the items' order.
    package static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        guard !items.isEmpty else { return [] }
        return await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            func launch() {
                let index = next
                let item = items[index]
                group.addTask { (index, await body(item)) }
                next += 1
            }
            while next < min(max(1, limit), items.count) { launch() }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < items.count { launch() }
            }
            return results.map { $0! }
        }
    }
}
