import CapstanBasics
import CapstanYAML
import Collections
import Foundation

/// Reads an experiments file (see `ExperimentsFile`) from YAML, with every problem reported as an
/// `InputError` at the line and column of the offending key or value.
public struct ExperimentsFileParser {
    static let topKeys = ["name", "namespace", "kind", "template", "object_store", "defaults", "matrix", "experiments"]
    static let objectStoreKeys = ["bucket", "endpoint", "secret", "access_key_key", "secret_key_key"]
    /// Ids are label values and part of object names; kept short so `SET-ID` fits in a name.
    public static let maxIDLength = 40

    public init() {}

    /// Loads and expands the file at `path`.
    public func load(path: String) throws -> ExperimentsFile {
        try parse(text: try YAMLLoader.readText(path), file: path)
    }

    /// Parses and expands `text`; `file` names it in locations and anchors a relative `template`.
    public func parse(text: String, file: String) throws -> ExperimentsFile {
        let documents = try YAMLLoader.documents(text: text, file: file)
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard documents.count <= 1 else {
            throw InputError("expected one document in the experiments file, found \(documents.count)", at: start)
        }
        guard let root = documents.first else { throw InputError("the experiments file is empty", at: start) }
        let reader = NodeReader()
        var fields: [String: (key: YAMLNode, value: YAMLNode)] = [:]
        for pair in try reader.pairs(root, what: "the experiments file") {
            guard Self.topKeys.contains(pair.key) else {
                throw InputError(
                    "unknown key '\(pair.key)' (expected one of: \(Self.topKeys.joined(separator: ", ")))",
                    at: pair.keyNode.location)
            }
            fields[pair.key] = (pair.keyNode, pair.value)
        }
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = try fields["name"].map { try scalarString($0.value, "name", reader) } ?? base
        let kind = try fields["kind"].map { try self.kind($0.value, reader) } ?? .job
        let setLabel = KubernetesName.label(name, limit: 30)
        var file = ExperimentsFile(
            path: file, name: name, setLabel: setLabel,
            namespace: try fields["namespace"].map { try namespace($0.value, reader) }
                ?? ExperimentsFile.defaultNamespace, kind: kind,
            templatePath: nil, objectStore: ObjectStoreSettings(), experiments: [])
        if let t = fields["template"] {
            let path = try scalarString(t.value, "template", reader)
            let folder = (file.path as NSString).deletingLastPathComponent
            file.templatePath = path.hasPrefix("/") || folder.isEmpty ? path : folder + "/" + path
        }
        if let store = fields["object_store"] { file.objectStore = try objectStore(store.value, reader) }
        let defaults = try fields["defaults"].map { try params($0.value, "defaults", reader) } ?? [:]
        var expander = ExperimentExpander(setLabel: setLabel, kind: kind, defaults: defaults)
        if let list = fields["experiments"] {
            guard let items = list.value.items else {
                throw InputError("'experiments' must be a list of mappings", at: list.value.location)
            }
            for item in items {
                var entry = try params(item, "an experiment", reader, allowID: true)
                let id = try entry.removeValue(forKey: "id").map { try explicitID($0, item, reader) }
                try expander.add(entry, id: id, naming: Array(entry.keys), at: item.location)
            }
        }
        if let m = fields["matrix"] {
            let matrix = try self.matrix(m.value, reader)
            for combination in try matrix.combinations() {
                try expander.add(combination, id: nil, naming: matrix.varyingKeys, at: matrix.location)
            }
        }
        guard !expander.experiments.isEmpty else {
            throw InputError("the experiments file has neither 'experiments' nor 'matrix'", at: root.location)
        }
        file.experiments = expander.experiments
        return file
    }

    private func scalarString(_ node: YAMLNode, _ key: String, _ reader: NodeReader) throws -> String {
        let value = try reader.value(node)
        switch value {
        case .string(let s) where !s.isEmpty: return s
        case .int, .float: return value.pythonString
        default: throw InputError("'\(key)' must be a non-empty string", at: node.location)
        }
    }

    private func kind(_ node: YAMLNode, _ reader: NodeReader) throws -> ExperimentKind {
        let text = try scalarString(node, "kind", reader)
        guard let kind = ExperimentKind.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            let names = ExperimentKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw InputError("'kind' must be one of \(names), not '\(text)'", at: node.location)
        }
        return kind
    }

    private func namespace(_ node: YAMLNode, _ reader: NodeReader) throws -> String {
        let text = try scalarString(node, "namespace", reader)
        guard KubernetesName.isLabel(text) else {
            throw InputError("'namespace' must be a DNS-1123 label (a-z, 0-9, '-'), not '\(text)'", at: node.location)
        }
        return text
    }

    private func objectStore(_ node: YAMLNode, _ reader: NodeReader) throws -> ObjectStoreSettings? {
        if case .bool(false) = try reader.value(node) { return nil }
        var settings = ObjectStoreSettings()
        for pair in try reader.pairs(node, what: "'object_store'") {
            let text = try scalarString(pair.value, pair.key, reader)
            switch pair.key {
            case "bucket": settings.bucket = text
            case "endpoint": settings.endpoint = text
            case "secret": settings.secret = text
            case "access_key_key": settings.accessKeyKey = text
            case "secret_key_key": settings.secretKeyKey = text
            default:
                throw InputError(
                    "unknown key '\(pair.key)' in 'object_store' (expected one of: "
                        + "\(Self.objectStoreKeys.joined(separator: ", ")))", at: pair.keyNode.location)
            }
        }
        return settings
    }

    /// A mapping of parameters; `id` only where an entry may name itself.
    private func params(_ node: YAMLNode, _ what: String, _ reader: NodeReader, allowID: Bool = false) throws
        -> OrderedDictionary<String, Value>
    {
        var result = OrderedDictionary<String, Value>()
        for pair in try reader.pairs(node, what: what) {
            if pair.key == "id" && !allowID {
                throw InputError("'id' names one experiment; it cannot be in \(what)", at: pair.keyNode.location)
            }
            result[pair.key] = try reader.value(pair.value)
        }
        return result
    }

    private func explicitID(_ value: Value, _ item: YAMLNode, _ reader: NodeReader) throws -> String {
        let node = item.pairs?.last { $0.key.scalarText == "id" }?.value ?? item
        let text: String
        switch value {
        case .string(let s): text = s
        case .int: text = value.pythonString
        default: throw InputError("an experiment's 'id' must be a string", at: node.location)
        }
        guard KubernetesName.isLabel(text, limit: Self.maxIDLength) else {
            throw InputError(
                "experiment id '\(text)' must be lowercase letters, digits and '-', start and end with a letter or "
                    + "digit, at most \(Self.maxIDLength) characters", at: node.location)
        }
        return text
    }

    private func matrix(_ node: YAMLNode, _ reader: NodeReader) throws -> ParameterMatrix {
        var axes: [ParameterMatrix.Axis] = []
        for pair in try reader.pairs(node, what: "'matrix'") {
            guard pair.key != "id" else {
                throw InputError(
                    "'id' cannot be a matrix key: ids are derived from the matrix", at: pair.keyNode.location)
            }
            let value = try reader.value(pair.value)
            if case .list(let values) = value {
                guard !values.isEmpty else {
                    throw InputError("matrix key '\(pair.key)' has no values", at: pair.value.location)
                }
                axes.append(.init(key: pair.key, values: values, varies: true))
            } else {
                axes.append(.init(key: pair.key, values: [value], varies: false))
            }
        }
        return ParameterMatrix(axes: axes, location: node.location)
    }
}
