import CapstanBasics

/// Reads Ansible's INI inventory format into an `InventoryGraph`, following ansible-core 2.19's `ini`
/// plugin: `[group]`, `[group:children]`, `[group:vars]`, hosts before any section are ungrouped,
/// ranges, `host:port`, and values typed with Python literal rules.
struct INIInventoryParser {
    let file: String

    private enum Section: String {
        case hosts, children, vars
    }

    /// A `[g:children]` entry naming a group not declared yet; resolved when the group appears.
    private struct Pending {
        var line: Int
        var column: Int
        var state: Section
        var parents: [String]
    }

    func parse(_ text: String, into graph: inout InventoryGraph, warnings: inout [Warning]) throws {
        var group = "ungrouped"
        var state = Section.hosts
        var pending: [String: Pending] = [:]
        var pendingOrder: [String] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var raw = Substring(rawLine)
            if raw.hasSuffix("\r") { raw = raw.dropLast() }
            let indent = raw.prefix { $0 == " " || $0 == "\t" }.count
            let line = raw.trimmingWhitespace()
            guard let first = line.first, first != "#", first != ";" else { continue }
            let here = SourceLocation(file: file, line: lineNumber, column: indent + 1)

            if first == "[", let header = sectionHeader(line) {
                guard let kind = Section(rawValue: header.kind ?? "hosts") else {
                    throw InputError(
                        "Section [\(header.name):\(header.kind!)] has unknown type: \(header.kind!); expected "
                            + "hosts, children or vars",
                        at: here.moved(by: header.name.count + 2))
                }
                group = header.name
                state = kind
                if graph.groups[group] == nil {
                    if kind == .vars, pending[group] == nil {
                        pending[group] = Pending(line: lineNumber, column: indent + 1, state: .vars, parents: [])
                        pendingOrder.append(group)
                    }
                    graph.addGroup(group, warnings: &warnings, at: here)
                }
                if let p = pending[group], kind != .vars {
                    if p.state == .children {
                        try addPendingChildren(group, &pending, &graph, here)
                    } else {
                        pending[group] = nil
                    }
                }
                continue
            }
            if first == "[", line.hasSuffix("]") {
                throw InputError(
                    "Invalid section entry: '\(line)'. Please make sure that there are no spaces in the section "
                        + "entry, and that there are no other invalid characters", at: here)
            }

            switch state {
            case .hosts:
                try parseHostLine(line, group: group, here: here, into: &graph, warnings: &warnings)
            case .vars:
                guard let eq = line.firstIndex(of: "=") else {
                    throw InputError("Expected key=value, got: \(line)", at: here)
                }
                let key = line[..<eq].trimmingWhitespace()
                let value = line[line.index(after: eq)...].trimmingWhitespace()
                graph.setGroupVariable(group, key, PythonLiteral.inventoryValue(value))
            case .children:
                let child = try childName(line, here: here)
                if graph.groups[child] == nil {
                    if pending[child] == nil {
                        pending[child] = Pending(
                            line: lineNumber, column: indent + 1, state: .children, parents: [group])
                        pendingOrder.append(child)
                    } else {
                        pending[child]!.parents.append(group)
                    }
                } else {
                    try addChild(child, to: group, &graph, here)
                }
            }
        }
        for name in pendingOrder {
            guard let p = pending[name] else { continue }
            let at = SourceLocation(file: file, line: p.line, column: p.column)
            if p.state == .vars {
                throw InputError("Section [\(name):vars] not valid for undefined group '\(name)'.", at: at)
            }
            throw InputError(
                "Section [\(p.parents.last!):children] includes undefined group '\(name)'; expected a group "
                    + "declared with [\(name)] or [\(name):children]", at: at)
        }
    }

    /// `[name]` or `[name:kind]` followed only by blanks or a `#` comment, as Ansible's section pattern.
    private func sectionHeader(_ line: String) -> (name: String, kind: String?)? {
        guard let close = line.firstIndex(of: "]") else { return nil }
        let rest = line[line.index(after: close)...].trimmingWhitespace()
        guard rest.isEmpty || rest.hasPrefix("#") else { return nil }
        let inside = line[line.index(after: line.startIndex)..<close]
        let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        if parts.count == 1 { return (name, nil) }
        let kind = String(parts[1])
        guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (name, kind)
    }

    private func childName(_ line: String, here: SourceLocation) throws -> String {
        var name = line
        if let hash = name.firstIndex(of: "#") { name = name[..<hash].trimmingWhitespace() }
        guard !name.isEmpty, !name.contains(where: { $0 == ":" || $0 == "]" || $0 == " " || $0 == "\t" }) else {
            throw InputError("Expected group name, got: \(line)", at: here)
        }
        return name
    }

    private func addChild(_ child: String, to parent: String, _ graph: inout InventoryGraph, _ here: SourceLocation)
        throws
    {
        do {
            try graph.addChild(child, to: parent)
        } catch let error as InventoryGraph.LoopError {
            throw InputError(error.message, at: here)
        }
    }

    private func addPendingChildren(
        _ group: String, _ pending: inout [String: Pending], _ graph: inout InventoryGraph, _ here: SourceLocation
    ) throws {
        guard let p = pending[group] else { return }
        for parent in p.parents {
            try addChild(group, to: parent, &graph, here)
            if let pp = pending[parent], pp.state == .children {
                try addPendingChildren(parent, &pending, &graph, here)
            }
        }
        pending[group] = nil
    }

    private func parseHostLine(
        _ line: String, group: String, here: SourceLocation, into graph: inout InventoryGraph, warnings: inout [Warning]
    )
        throws
    {
        let tokens: [String]
        do {
            tokens = try ShellWords.split(line, comments: true)
        } catch let failure as ShellWords.SplitError {
            throw InputError(
                "Error parsing host definition '\(line)': \(failure.description); expected a matching quote",
                at: here.moved(by: failure.offset))
        }
        guard let pattern = tokens.first else { return }
        let (names, port) = try expandHostPattern(pattern, here: here, graph: &graph)
        var variables: [(String, Value)] = []
        for token in tokens.dropFirst() {
            guard let eq = token.firstIndex(of: "=") else {
                let column = line.range(of: token).map { line.distance(from: line.startIndex, to: $0.lowerBound) } ?? 0
                throw InputError(
                    "Expected key=value host variable assignment, got: \(token)", at: here.moved(by: column))
            }
            variables.append(
                (String(token[..<eq]), PythonLiteral.inventoryValue(String(token[token.index(after: eq)...]))))
        }
        for name in names {
            graph.addHost(name, group: group, port: port, warnings: &warnings)
            for (k, v) in variables { graph.setHostVariable(name, k, v) }
        }
    }

    private func expandHostPattern(_ pattern: String, here: SourceLocation, graph: inout InventoryGraph) throws
        -> ([String], Int?)
    {
        let (host, port) = HostRange.splitPort(pattern)
        if pattern.hasSuffix(":"), port == nil {
            throw InputError(
                "Invalid host pattern '\(pattern)' supplied, ending in ':' is not allowed, this character is "
                    + "reserved to provide a port.", at: here)
        }
        let names: [String]
        do {
            names = try graph.expandRanges(host)
        } catch let failure as HostRange.Failure {
            let column = pattern.firstIndex(of: "[").map { pattern.distance(from: pattern.startIndex, to: $0) } ?? 0
            throw InputError("Invalid host range '\(pattern)': \(failure.message)", at: here.moved(by: column))
        }
        if names.contains(where: { $0.trimmingWhitespace() == "---" }) {
            throw InputError(
                "Invalid host pattern '\(pattern)' supplied, '---' is normally a sign this is a YAML file.", at: here)
        }
        return (names, port)
    }
}

extension SourceLocation {
    /// The same place, `columns` characters further right.
    func moved(by columns: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column + columns)
    }
}
