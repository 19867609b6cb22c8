import CapstanBasics
import CapstanTemplating
import CapstanYAML
import Collections
import Foundation

/// One rendered object: the YAML text kubectl receives, and what it names.
public struct RenderedManifest: Sendable, Hashable {
    /// The experiment it runs, or nil for the Workflow that runs them all.
    public var experimentID: String?
    public var kind: String
    public var name: String
    public var namespace: String
    /// One YAML document, ending in a newline.
    public var text: String

    /// Manifests as one multi-document YAML stream, each document after a `---` line.
    public static func stream(_ manifests: [RenderedManifest]) -> String {
        manifests.map { "---\n" + $0.text }.joined()
    }
}

/// Renders experiments through a Jinja template (Capstan's Templating layer, Ansible's options):
/// the built-in one for the file's kind, or a template file. Each render must give one YAML
/// mapping with `kind` and `metadata.name`, or an `InputError` says which experiment and why.
public struct ManifestRenderer {
    /// A template file that overrides both the file's `template` and the built-in one.
    public var templatePath: String?
    private let templar = Templar()

    public init(templatePath: String? = nil) {
        self.templatePath = templatePath
    }

    /// One manifest per experiment, in order.
    public func render(_ experiments: [Experiment], of file: ExperimentsFile) throws -> [RenderedManifest] {
        let (source, origin, builtin) = try self.source(
            file.templatePath, builtin: BuiltinTemplates.template(for: file.kind),
            builtinName: BuiltinTemplates.origin(for: file.kind))
        let indices = Dictionary(uniqueKeysWithValues: file.experiments.enumerated().map { ($1.id, $0) })
        return try experiments.map { experiment in
            if builtin, (experiment.params["image"]?.stringValue ?? "").isEmpty {
                throw InputError(
                    "experiment '\(experiment.id)' has no 'image' (set it in defaults, the matrix or the entry)",
                    at: experiment.location)
            }
            let vars = ExperimentContext.variables(experiment, index: indices[experiment.id] ?? 0, in: file)
            var manifest = try render(source, origin: origin, vars: vars, what: "experiment '\(experiment.id)'")
            manifest.experimentID = experiment.id
            return manifest
        }
    }

    /// The Argo Workflow running `experiments`; `templatePath` (or else the built-in Workflow
    /// template) renders it.
    public func renderWorkflow(_ experiments: [Experiment], of file: ExperimentsFile) throws -> RenderedManifest {
        let (source, origin, builtin) = try self.source(
            nil, builtin: ArgoWorkflowContext.template,
            builtinName: "<built-in Workflow template>")
        if builtin, let missing = experiments.first(where: { ($0.params["image"]?.stringValue ?? "").isEmpty }) {
            throw InputError(
                "experiment '\(missing.id)' has no 'image' (set it in defaults, the matrix or the entry)",
                at: missing.location)
        }
        let vars = try ArgoWorkflowContext.variables(experiments, in: file)
        return try render(source, origin: origin, vars: vars, what: "the Workflow")
    }

    /// The template text, where errors point, and whether it is built in.
    private func source(_ fromFile: String?, builtin: String, builtinName: String) throws
        -> (String, SourceLocation, Bool)
    {
        guard let path = templatePath ?? fromFile else {
            return (builtin, SourceLocation(file: builtinName, line: 1, column: 1), true)
        }
        let origin = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw InputError("cannot read the template file", at: origin) }
        return (text, origin, false)
    }

    private func render(_ source: String, origin: SourceLocation, vars: OrderedDictionary<String, Value>, what: String)
        throws -> RenderedManifest
    {
        let text: String
        do {
            text = try templar.render(source, scope: DictionaryScope(vars), options: .ansible, origin: origin)
        } catch let error as TemplateError {
            throw error.inputError ?? InputError(error.message, at: origin)
        }
        var warnings: [Warning] = []
        let values: [Value]
        do {
            values = try YAMLLoader.values(
                text: text, file: "\(origin.file) (rendered for \(what))", warnings: &warnings)
        } catch {
            throw InputError("the manifest rendered for \(what) is not valid YAML: \(error)", at: origin)
        }
        guard values.count == 1, let object = values[0].dictValue else {
            throw InputError(
                "the template must render one YAML mapping for \(what), got \(values.count) documents",
                at: origin)
        }
        guard let kind = object["kind"]?.stringValue, let name = object["metadata"]?["name"]?.stringValue else {
            throw InputError("the manifest rendered for \(what) has no kind or metadata.name", at: origin)
        }
        let namespace = object["metadata"]?["namespace"]?.stringValue ?? "default"
        var body = text.trimmingCharacters(in: .newlines)
        while body.hasPrefix("---\n") { body.removeFirst(4) }
        return RenderedManifest(experimentID: nil, kind: kind, name: name, namespace: namespace, text: body + "\n")
    }
}
