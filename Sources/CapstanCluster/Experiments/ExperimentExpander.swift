import CapstanBasics
import Collections

/// Turns parameter sets into experiments: defaults first, ids given or derived, names made, and no
/// two experiments with one id.
struct ExperimentExpander {
    let setLabel: String
    let kind: ExperimentKind
    let defaults: OrderedDictionary<String, Value>
    private(set) var experiments: [Experiment] = []
    private var seen: [String: SourceLocation] = [:]

    init(setLabel: String, kind: ExperimentKind, defaults: OrderedDictionary<String, Value>) {
        self.setLabel = setLabel
        self.kind = kind
        self.defaults = defaults
    }

    /// Adds one experiment with `own` parameters over the defaults, named by `id` or else by the
    /// values of the `naming` keys.
    mutating func add(
        _ own: OrderedDictionary<String, Value>, id explicit: String?, naming: [String], at location: SourceLocation
    ) throws {
        var params = defaults
        for (key, value) in own { params[key] = value }
        let id = explicit ?? Self.derivedID(naming.map { ($0, own[$0] ?? .null) })
        if let first = seen[id] {
            throw InputError(
                "two experiments have the id '\(id)' (the first is at \(first)); give one an 'id'", at: location)
        }
        seen[id] = location
        let name = KubernetesName.label(setLabel + "-" + id, limit: kind.nameLimit)
        experiments.append(Experiment(id: id, name: name, params: params, location: location))
    }

    /// `key-value-key-value`, as a DNS-1123 label of at most `ExperimentsFileParser.maxIDLength`
    /// characters: the same parameters always give the same id. Without parameters, `default`.
    static func derivedID(_ pairs: [(String, Value)]) -> String {
        let text = pairs.map { "\($0.0)-\(idText($0.1))" }.joined(separator: "-")
        guard !KubernetesName.slug(text).isEmpty else { return "default" }
        return KubernetesName.label(text, limit: ExperimentsFileParser.maxIDLength)
    }

    /// A value as it reads in an id: scalars as Python prints them, lowercased booleans, collections as JSON.
    static func idText(_ value: Value) -> String {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int, .float, .null: return value.pythonString
        case .list, .dict: return value.json()
        }
    }
}
