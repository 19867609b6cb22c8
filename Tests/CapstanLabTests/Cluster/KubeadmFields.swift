import CapstanTestSupport
import Foundation

@testable import CapstanBasics
@testable import CapstanExecution

/// kubeadm's configuration API field trees per version (Fixtures/cluster/kubeadm-fields.json, written
/// by Tests/oracles/kubeadm-fields.py), and the check of a rendered document against them.
struct KubeadmFields {
    /// version -> kind -> tree; a tree maps a field to null (scalar), a dict (object) or [dict].
    let versions: [String: [String: Any]]
    /// kind -> key paths that must be set.
    let required: [String: [[String]]]

    static func load() throws -> KubeadmFields {
        let data = try Data(contentsOf: Fixtures.url("cluster/kubeadm-fields.json"))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var versions: [String: [String: Any]] = [:]
        for (key, value) in json where key != "required" {
            versions[key] = value as? [String: Any] ?? [:]
        }
        return KubeadmFields(versions: versions, required: json["required"] as? [String: [[String]]] ?? [:])
    }

    /// What is wrong with `document` as a `kind` of `version`: unknown fields, objects where the API has
    /// scalars or the other way round, and required fields missing. Empty when it is right.
    func check(_ document: Value, version: String, kind: String) -> [String] {
        guard let tree = versions[version]?[kind] as? [String: Any] else { return ["unknown kind \(kind)"] }
        var problems: [String] = []
        walk(document, tree: tree, path: "", problems: &problems)
        for path in required[kind] ?? [] where lookup(document, path) == nil {
            problems.append("missing \(path.joined(separator: "."))")
        }
        return problems
    }

    private func walk(_ value: Value, tree: [String: Any], path: String, problems: inout [String]) {
        guard case .dict(let fields) = value else {
            problems.append("\(path): not an object")
            return
        }
        for (name, child) in fields {
            let here = path.isEmpty ? name : "\(path).\(name)"
            guard let shape = tree[name] else {
                problems.append("unknown field \(here)")
                continue
            }
            switch shape {
            case let object as [String: Any]:
                walk(child, tree: object, path: here, problems: &problems)
            case let list as [Any]:
                guard case .list(let items) = child, let itemTree = list.first as? [String: Any] else {
                    problems.append("\(here): not a list of objects")
                    continue
                }
                for item in items { walk(item, tree: itemTree, path: here + "[]", problems: &problems) }
            default:
                if case .list(let items) = child, items.contains(where: { $0.dictValue != nil }) {
                    problems.append("\(here): a list where kubeadm wants a map")
                }
            }
        }
    }

    private func lookup(_ value: Value, _ path: [String]) -> Value? {
        var current = value
        for key in path {
            guard case .dict(let d) = current, let next = d[key], next != .null else { return nil }
            current = next
        }
        return current
    }
}
