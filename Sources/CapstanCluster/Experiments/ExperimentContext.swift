import CapstanBasics
import Collections

/// What a template sees of one experiment. Every parameter is a top-level variable (`{{ batch_size }}`)
/// and `experiment` holds the rest, ready to drop into a manifest:
///
/// - `id`, `name` (the object name), `set`, `namespace`, `kind`, `index`, `params`;
/// - `labels` and `annotations` (`to_json` them into metadata; pods get the same labels);
/// - `image`, `command`/`args` (lists or null), `gpus`, `cpu`, `memory`, `workers`, `backoff_limit`
///   from the parameters of those names (the knobs), and `resources` made from cpu, memory and gpus;
/// - `env`: `[{name, value}]`: the experiment's id, set, params (JSON) and results place, then every
///   other scalar parameter as an upper-case variable (`batch_size` → `BATCH_SIZE`), then `env`'s;
/// - `results`: the object store's bucket, endpoint, Secret and keys, and this experiment's prefix.
public enum ExperimentContext {
    /// Parameters read as knobs of the built-in templates rather than exported as variables.
    public static let knobs: Set<String> = [
        "image", "command", "args", "gpus", "cpu", "memory", "workers", "backoff_limit", "env",
        "service_account", "merge_image", "merge_command",
    ]
    /// The label naming the experiment set; selects a run's objects and pods.
    public static let setLabel = "capstan.dev/experiment-set"
    /// The label holding the experiment id.
    public static let idLabel = "capstan.dev/experiment"
    /// The label holding the object's name (unique in its namespace): selects one experiment's pods
    /// with a single label, whatever the kind.
    public static let jobLabel = "capstan.dev/job"
    /// Prefix of the labels that carry parameter values.
    public static let paramLabelPrefix = "params.capstan.dev/"
    /// The annotation holding every parameter as JSON.
    public static let paramsAnnotation = "capstan.dev/params"
    /// Where runs leave what `results` downloads.
    public static let resultsDirectory = "/results"

    /// The variables for rendering `experiment` of `file`.
    public static func variables(_ experiment: Experiment, index: Int, in file: ExperimentsFile)
        -> OrderedDictionary<String, Value>
    {
        var vars = experiment.params
        vars["params"] = .dict(experiment.params)
        vars["experiment"] = value(experiment, index: index, in: file)
        return vars
    }

    /// The `experiment` variable.
    public static func value(_ experiment: Experiment, index: Int, in file: ExperimentsFile) -> Value {
        let p = experiment.params
        var e: OrderedDictionary<String, Value> = [
            "id": .string(experiment.id), "name": .string(experiment.name), "set": .string(file.setLabel),
            "namespace": .string(file.namespace), "kind": .string(file.kind.rawValue), "index": .int(index),
            "params": .dict(p), "labels": .dict(labels(experiment, set: file.setLabel)),
            "annotations": [paramsAnnotation: .string(Value.dict(p).json())],
            "image": p["image"] ?? .null, "command": commandList(p["command"]),
            "args": commandList(p["args"], shell: false),
            "gpus": p["gpus"] ?? 0, "cpu": p["cpu"] ?? .null, "memory": p["memory"] ?? .null,
            "workers": p["workers"] ?? (file.kind == .tfJob ? 1 : 0), "backoff_limit": p["backoff_limit"] ?? 0,
            "resources": resources(p),
        ]
        e["env"] = .list(env(experiment, file: file).map { .dict(["name": .string($0.0), "value": .string($0.1)]) })
        if let store = file.objectStore {
            e["results"] = .dict([
                "bucket": .string(store.bucket), "endpoint": .string(store.endpoint), "secret": .string(store.secret),
                "access_key_key": .string(store.accessKeyKey), "secret_key_key": .string(store.secretKeyKey),
                "prefix": .string(ObjectStoreSettings.prefix(set: file.setLabel, id: experiment.id)),
                "directory": .string(resultsDirectory),
            ])
        } else {
            e["results"] = .null
        }
        return .dict(e)
    }

    /// The set, id and name labels, then a label per scalar parameter whose key and value Kubernetes accepts.
    public static func labels(_ experiment: Experiment, set: String) -> OrderedDictionary<String, Value> {
        var labels: OrderedDictionary<String, Value> = [
            setLabel: .string(set), idLabel: .string(experiment.id), jobLabel: .string(experiment.name),
        ]
        for (key, value) in experiment.params where !knobs.contains(key) {
            guard let text = scalarText(value), KubernetesName.isLabelValue(text), KubernetesName.isLabelValue(key),
                !key.isEmpty
            else { continue }
            labels[paramLabelPrefix + key] = .string(text)
        }
        return labels
    }

    /// The container environment, in the order documented above.
    public static func env(_ experiment: Experiment, file: ExperimentsFile) -> [(String, String)] {
        var env: [(String, String)] = [
            ("CAPSTAN_EXPERIMENT_ID", experiment.id), ("CAPSTAN_EXPERIMENT_SET", file.setLabel),
            ("CAPSTAN_PARAMS", Value.dict(experiment.params).json()), ("CAPSTAN_RESULTS_DIR", resultsDirectory),
        ]
        if let store = file.objectStore {
            let prefix = ObjectStoreSettings.prefix(set: file.setLabel, id: experiment.id)
            env.append(("CAPSTAN_RESULTS_URI", "s3://\(store.bucket)/\(prefix)"))
            env.append(("AWS_ENDPOINT_URL", store.endpoint))
        }
        return env + parameterEnv(experiment)
    }

    /// The variables that come from the parameters: every scalar one but the knobs, then `env`'s.
    public static func parameterEnv(_ experiment: Experiment) -> [(String, String)] {
        var env: [(String, String)] = []
        for (key, value) in experiment.params where !knobs.contains(key) {
            if let text = scalarText(value) { env.append((envName(key), text)) }
        }
        for (key, value) in experiment.params["env"]?.dictValue ?? [:] {
            env.append((key, scalarText(value) ?? value.json()))
        }
        return env
    }

    /// Requests and limits from `cpu`, `memory` and `gpus` (`nvidia.com/gpu`, limits only, as the
    /// device plugin wants); null when none is set.
    static func resources(_ p: OrderedDictionary<String, Value>) -> Value {
        var requests = OrderedDictionary<String, Value>()
        for key in ["cpu", "memory"] {
            if let v = p[key], v != .null { requests[key] = .string(scalarText(v) ?? v.json()) }
        }
        var limits = requests
        if let gpus = p["gpus"], gpus.isTruthy { limits["nvidia.com/gpu"] = .string(scalarText(gpus) ?? "0") }
        guard !limits.isEmpty else { return .null }
        var result: OrderedDictionary<String, Value> = ["limits": .dict(limits)]
        if !requests.isEmpty { result["requests"] = .dict(requests) }
        return .dict(result)
    }

    /// `batch_size` → `BATCH_SIZE`; anything but letters, digits and `_` becomes `_`.
    public static func envName(_ key: String) -> String {
        var name = String(key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        if name.first?.isNumber ?? true { name = "P_" + name }
        return name
    }

    /// Scalars as text (booleans lowercase, as YAML and shells expect); nil for collections.
    static func scalarText(_ value: Value) -> String? {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int, .float: return value.pythonString
        case .null: return ""
        case .list, .dict: return nil
        }
    }

    /// A command as a list of strings: a string runs through `/bin/sh -c` (for `command`), a list as is.
    static func commandList(_ value: Value?, shell: Bool = true) -> Value {
        switch value {
        case .string(let s)?: return shell ? ["/bin/sh", "-c", .string(s)] : [.string(s)]
        case .list(let items)?: return .list(items.map { .string(scalarText($0) ?? $0.json()) })
        case nil, .null?: return .null
        case let other?: return [.string(scalarText(other) ?? other.json())]
        }
    }
}
