import CapstanBasics
import CapstanYAML

/// Reads Ansible's YAML inventory format (`all: {hosts, children, vars}`, nested) into an
/// `InventoryGraph`, following ansible-core 2.19's `yaml` plugin, with node positions for errors.
struct YAMLInventoryParser {
    let file: String

    /// Why a file was not taken as a YAML inventory; the loader may then try INI.
    struct NotYAMLInventory: Error {
        let error: InputError
    }

    func parse(_ text: String, into graph: inout InventoryGraph, warnings: inout [Warning]) throws {
        let root: YAMLNode
        var yamlWarnings: [Warning] = []
        let top: Value
        do {
            let docs = try YAMLLoader.documents(text: text, file: file)
            guard docs.count == 1 else {
                throw InputError("expected a single YAML document", at: SourceLocation(file: file, line: 1, column: 1))
            }
            root = docs[0]
            top = try YAMLConstructor().value(of: root, warnings: &yamlWarnings)
        } catch let error as InputError {
            throw NotYAMLInventory(error: error)
        }
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard top.isTruthy else { throw NotYAMLInventory(error: InputError("Parsed empty YAML file", at: start)) }
        guard case .dict(let data) = top, root.pairs != nil else {
            throw NotYAMLInventory(
                error: InputError(
                    "YAML inventory has invalid structure, it should be a dictionary, got: \(top.pythonTypeName)",
                    at: root.location))
        }
        if data["plugin"]?.isTruthy == true {
            throw InputError(
                "Plugin configuration YAML file, not YAML inventory; inventory plugins are not supported",
                at: root.location)
        }
        warnings += yamlWarnings
        for pair in try YAMLConstructor().mergedPairs(of: root) {
            guard let name = pair.key.scalarText else { continue }
            _ = try parseGroup(name, pair.value, at: pair.key.location, into: &graph, warnings: &warnings)
        }
    }

    private func parseGroup(
        _ name: String, _ node: YAMLNode, at location: SourceLocation, into graph: inout InventoryGraph,
        warnings: inout [Warning]
    ) throws -> String {
        // The whole file was typed once already (and warned about); typing parts again must not repeat warnings.
        var repeated: [Warning] = []
        let value = try YAMLConstructor().value(of: node, warnings: &repeated)
        guard value == .null || value.dictValue != nil else {
            warnings.append(Warning("Skipping '\(name)' as this is not a valid group definition", at: location))
            return name
        }
        graph.addGroup(name, warnings: &warnings, at: location)
        guard node.pairs != nil else { return name }
        let sections = try YAMLConstructor().mergedPairs(of: node)
        for section in sections {
            let key = section.key.scalarText ?? ""
            var body = section.value
            var sectionValue = try YAMLConstructor().value(of: body, warnings: &repeated)
            if ["vars", "children", "hosts"].contains(key) {
                if case .string = sectionValue {
                    // A bare string stands for a mapping with that one key and no value.
                    let empty = YAMLNode(.scalar(""), style: .plain, location: body.location)
                    body = YAMLNode(
                        .mapping([YAMLPair(key: body, value: empty)]), style: .collection, location: body.location)
                    sectionValue = try YAMLConstructor().value(of: body, warnings: &repeated)
                }
                if sectionValue != .null, sectionValue.dictValue == nil {
                    throw InputError(
                        "Invalid \"\(key)\" entry for \"\(name)\" group, requires a dictionary, found "
                            + "\"\(sectionValue.pythonTypeName)\" instead.", at: body.location)
                }
            }
            if sectionValue == .null { continue }
            guard sectionValue.dictValue != nil else {
                warnings.append(
                    Warning(
                        "Skipping key (\(key)) in group (\(name)) as it is not a mapping, it is a \(sectionValue.pythonTypeName)",
                        at: section.key.location))
                continue
            }
            switch key {
            case "vars":
                for (k, v) in sectionValue.dictValue! { graph.setGroupVariable(name, k, v) }
            case "children":
                for child in try YAMLConstructor().mergedPairs(of: body) {
                    let childName = try YAMLConstructor().scalar(child.key.scalarText ?? "", node: child.key)
                    let subgroup = try parseGroup(
                        YAMLConstructor.keyString(childName), child.value, at: child.key.location, into: &graph,
                        warnings: &warnings)
                    do {
                        try graph.addChild(subgroup, to: name)
                    } catch let error as InventoryGraph.LoopError {
                        throw InputError(error.message, at: child.key.location)
                    }
                }
            case "hosts":
                for host in try YAMLConstructor().mergedPairs(of: body) {
                    try addHosts(host, group: name, into: &graph, warnings: &warnings)
                }
            default:
                warnings.append(
                    Warning(
                        "Skipping unexpected key (\(key)) in group (\(name)), only \"vars\", \"children\" and \"hosts\" are valid",
                        at: section.key.location))
            }
        }
        return name
    }

    private func addHosts(
        _ pair: YAMLPair, group: String, into graph: inout InventoryGraph, warnings: inout [Warning]
    ) throws {
        let pattern = try YAMLConstructor().scalar(pair.key.scalarText ?? "", node: pair.key)
        guard case .string(let text) = pattern else {
            throw InputError(
                "Host pattern \(pattern.pythonString) must be a string. Enclose integers/floats in quotation marks.",
                at: pair.key.location)
        }
        var repeated: [Warning] = []
        let vars = try YAMLConstructor().value(of: pair.value, warnings: &repeated)
        guard vars == .null || vars.dictValue != nil else {
            throw InputError(
                "Invalid data from file, expected dictionary and got: \(vars.pythonString)", at: pair.value.location)
        }
        let (host, port) = HostRange.splitPort(text)
        let names: [String]
        do {
            names = try graph.expandRanges(host)
        } catch let failure as HostRange.Failure {
            throw InputError("Invalid host range '\(text)': \(failure.message)", at: pair.key.location)
        }
        for name in names {
            graph.addHost(name, group: group, port: port, warnings: &warnings)
            for (k, v) in vars.dictValue ?? [:] { graph.setHostVariable(name, k, v) }
        }
    }
}
