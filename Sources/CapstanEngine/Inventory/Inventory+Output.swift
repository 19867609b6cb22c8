import Collections

/// The shapes `ansible-inventory` prints: `--list` JSON, `--host` JSON and the `--graph` tree.
extension Inventory {
    /// The `--list` document: one entry per non-empty group (`hosts`, `children`), and
    /// `_meta.hostvars` with each host's merged variables. Print it with `.json(.nice)`.
    public func listJSON(limit: String? = nil, warnings: inout [Warning]) throws -> Value {
        let available = Set(try hosts(matching: "all", limit: limit, warnings: &warnings).map(\.name))
        var result = OrderedDictionary<String, Value>()
        var seen = Set<String>()
        formatGroup("all", available: available, seen: &seen, into: &result)
        var hostvars = OrderedDictionary<String, Value>()
        for host in try hosts(matching: "all", limit: limit, warnings: &warnings) {
            let vars = variables(for: host)
            if !vars.isEmpty { hostvars[host.name] = .dict(vars) }
        }
        result["_meta"] = ["hostvars": .dict(hostvars), "profile": "inventory_legacy"]
        return .dict(result)
    }

    private func formatGroup(
        _ name: String, available: Set<String>, seen: inout Set<String>,
        into result: inout OrderedDictionary<String, Value>
    ) {
        let group = graph.groups[name]!
        var entry = OrderedDictionary<String, Value>()
        if name != "all" {
            let hosts = group.hosts.filter(available.contains)
            if !hosts.isEmpty { entry["hosts"] = .list(hosts.map(Value.string)) }
        }
        var nested = OrderedDictionary<String, Value>()
        for child in group.children where !seen.contains(child) {
            formatGroup(child, available: available, seen: &seen, into: &nested)
            seen.insert(child)
        }
        if !group.children.isEmpty { entry["children"] = .list(group.children.map(Value.string)) }
        if !entry.isEmpty { result[name] = .dict(entry) }
        for (k, v) in nested { result[k] = v }
    }

    /// The `--host NAME` document: the host's merged variables.
    public func hostJSON(_ name: String, warnings: inout [Warning]) throws -> Value {
        let found = try hosts(matching: name, warnings: &warnings)
        guard found.count == 1 else { throw InventoryError("You must pass a single valid host to --host parameter") }
        return .dict(variables(for: found[0]))
    }

    /// The `--graph [GROUP]` tree, exactly as `ansible-inventory --graph` draws it; with
    /// `showVariables` also each host's and group's variables (`--vars`).
    public func graph(group name: String = "all", showVariables: Bool = false) throws -> String {
        guard graph.groups[name] != nil else {
            throw InventoryError("Pattern must be valid group name when using --graph")
        }
        var lines: [String] = []
        drawGroup(name, depth: 0, showVariables: showVariables, into: &lines)
        return lines.joined(separator: "\n")
    }

    private func drawGroup(_ name: String, depth: Int, showVariables: Bool, into lines: inout [String]) {
        lines.append(Self.graphLine("@\(name):", depth))
        let group = graph.groups[name]!
        for child in group.children { drawGroup(child, depth: depth + 1, showVariables: showVariables, into: &lines) }
        if name != "all" {
            for host in group.hosts {
                lines.append(Self.graphLine(host, depth + 1))
                if showVariables { drawVariables(variables(for: Host(name: host)), depth: depth + 2, into: &lines) }
            }
        }
        if showVariables { drawVariables(variables(forGroup: name), depth: depth + 1, into: &lines) }
    }

    private func drawVariables(_ vars: OrderedDictionary<String, Value>, depth: Int, into lines: inout [String]) {
        for key in vars.keys.sorted() { lines.append(Self.graphLine("{\(key) = \(vars[key]!.pythonString)}", depth)) }
    }

    private static func graphLine(_ text: String, _ depth: Int) -> String {
        depth == 0 ? text : String(repeating: "  |", count: depth) + "--" + text
    }
}
