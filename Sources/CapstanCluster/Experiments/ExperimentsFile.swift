import CapstanBasics
import Collections

/// An experiments file (`capstan experiments run -f experiments.yaml`), loaded and expanded:
///
/// ```yaml
/// name: mnist                  # the set: labels, object names, the results prefix (default: file name)
/// namespace: capstan-ml         # the ML layer's: its object store Secret and Argo's account are there
/// kind: Job                    # Job (default), PyTorchJob or TFJob
/// template: job.yaml.j2        # optional, relative to this file; --template wins
/// object_store:                # where runs put /results and `results` reads them (all optional)
///   bucket: artifacts
///   endpoint: http://object-store.capstan-ml.svc:9000   # as pods reach it
///   secret: capstan-object-store                         # keys accesskey and secretkey
/// defaults: {image: python:3.12-slim, command: [python, train.py], epochs: 5}
/// matrix:                      # every combination of the lists; a scalar is just a default
///   batch_size: [32, 64]
///   seed: [1, 2]
/// experiments:                 # and/or a list; `id` is optional, every other key is a parameter
///   - {id: baseline, batch_size: 256}
/// ```
public struct ExperimentsFile: Sendable {
    /// The ML layer's namespace (`ml_namespace`), where its Secrets and Argo's ServiceAccount are.
    public static let defaultNamespace = "capstan-ml"
    /// The file as the user named it.
    public var path: String
    /// The set's name as written (or the file's base name).
    public var name: String
    /// The set's name as a label value and object name prefix.
    public var setLabel: String
    public var namespace: String
    public var kind: ExperimentKind
    /// The template file named in the file, resolved against the file's folder.
    public var templatePath: String?
    /// Where results go; nil when the file says `object_store: false`.
    public var objectStore: ObjectStoreSettings?
    /// Every experiment, list entries first, then the matrix's combinations.
    public var experiments: [Experiment]

    /// The experiments whose ids are in `ids` (all when `ids` is empty), in file order; an unknown id
    /// is an error naming the ids that exist.
    public func selecting(_ ids: [String]) throws -> [Experiment] {
        guard !ids.isEmpty else { return experiments }
        let known = Set(experiments.map(\.id))
        if let unknown = ids.first(where: { !known.contains($0) }) {
            throw InputError(
                "no experiment has the id '\(unknown)'; ids: \(experiments.map(\.id).joined(separator: ", "))",
                at: SourceLocation(file: path, line: 1, column: 1))
        }
        return experiments.filter { ids.contains($0.id) }
    }
}

/// What each experiment runs as.
public enum ExperimentKind: String, Sendable, CaseIterable {
    case job = "Job"
    case pyTorchJob = "PyTorchJob"
    case tfJob = "TFJob"

    /// The resource name kubectl takes for `get`.
    public var resource: String {
        switch self {
        case .job: return "jobs.batch"
        case .pyTorchJob: return "pytorchjobs.kubeflow.org"
        case .tfJob: return "tfjobs.kubeflow.org"
        }
    }

    /// The longest object name: Jobs label their pods with their name (63); the training operator
    /// also names Services `NAME-worker-N`, which must fit in 63.
    public var nameLimit: Int { self == .job ? KubernetesName.maxLength : 48 }
}

/// The object store as the experiments' pods see it; the defaults are what `capstan ml up` makes
/// (roles/ml-common: Service `object-store` and Secret `capstan-object-store` in `capstan-ml`).
public struct ObjectStoreSettings: Sendable, Hashable {
    public var bucket = "artifacts"
    /// The S3 endpoint from inside the cluster.
    public var endpoint = "http://object-store.capstan-ml.svc:9000"
    /// The Secret (in the experiments' namespace) holding the credentials.
    public var secret = "capstan-object-store"
    public var accessKeyKey = "accesskey"
    public var secretKeyKey = "secretkey"

    public init() {}

    /// The key prefix an experiment's results live under: `SET/ID/`.
    public static func prefix(set: String, id: String) -> String { "\(set)/\(id)/" }
}

/// One experiment: an id that stays the same across runs, its parameters, and its object name.
public struct Experiment: Sendable, Hashable {
    /// Unique in the file; given as `id` or derived from the parameters that vary.
    public var id: String
    /// The Kubernetes object name: the set's name and the id, DNS-1123, within the kind's limit.
    public var name: String
    /// Defaults overlaid with the entry's (or the combination's) own values, in that order.
    public var params: OrderedDictionary<String, Value>
    /// Where the experiment was written (its list entry, or the matrix).
    public var location: SourceLocation
}
