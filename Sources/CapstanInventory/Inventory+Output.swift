import CapstanBasics
import Collections

/// The shapes `ansible-inventory` prints: `--list` JSON, `--host` JSON and the `--graph` tree.
extension Inventory {
    /// The `--list` document: one entry per non-empty group (`hosts`, `children`), and
    /// `_meta.hostvars` with each host's merged variables. Print it with `.json(.nice)`.
    public func listJSON(limit: String? = nil, warnings: inout [Warning]) throws -> Value {
        let available = Set(try hosts(matching: "all", limit: limit, warnings: &warnings).map(\.name))
        var result = OrderedDictionary<String, Value>()
        for name in groupsInListOrder() {
            let group = graph.groups[name]!
            var entry = OrderedDictionary<String, Value>()
            if name != "all" {
                let hosts = group.hosts.filter(available.contains)
                if !hosts.isEmpty { entry["hosts"] = .list(hosts.map(Value.string)) }
            }
            if !group.children.isEmpty { entry["children"] = .list(group.children.map(Value.string)) }
            if !entry.isEmpty { result[name] = .dict(entry) }
        }
        var hostvars = OrderedDictionary<String, Value>()
        for host in try hosts(matching: "all", limit: limit, warnings: &warnings) {
            let vars = variables(for: host)
            if !vars.isEmpty { hostvars[host.name] = .dict(vars) }
        }
        result["_meta"] = ["hostvars": .dict(hostvars), "profile": "inventory_legacy"]
        return .dict(result)
    }

    /// Groups from `all` down, depth first, each child after its parent, a group shared by several
    /// parents under the first one only: the order of `ansible-inventory --list`. A loop, not
    /// recursion, so that a long chain of groups cannot exhaust the stack.
    private func groupsInListOrder() -> [String] {
        var order = ["all"]
        var done = Set<String>()
        // Each frame: a group and the index of its next child to visit.
        var stack: [(name: String, next: Int)] = [("all", 0)]
        while let top = stack.last {
            let children = graph.groups[top.name]!.children
            var next = top.next
            while next < children.count, done.contains(children[next]) { next += 1 }
            guard next < children.count else {
                stack.removeLast()
                // A group counts as listed once the walk leaves it, as in Ansible's recursion.
                if let parent = stack.last { done.insert(graph.groups[parent.name]!.children[parent.next - 1]) }
                continue
            }
            stack[stack.count - 1].next = next + 1
            order.append(children[next])
            stack.append((children[next], 0))
        }
        return order
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
