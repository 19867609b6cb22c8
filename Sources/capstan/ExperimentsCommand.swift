import ArgumentParser
import CapstanCluster

/// `capstan experiments run|status|logs|results|template`: the experiment launcher.
struct ExperimentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments",
        abstract: "Launch experiments (a list and/or a parameter matrix) as Jobs or an Argo Workflow, and follow them.",
        subcommands: [
            ExperimentsRunCommand.self, ExperimentsStatusCommand.self, ExperimentsLogsCommand.self,
            ExperimentsResultsCommand.self, ExperimentsTemplateCommand.self,
        ])
}

/// `capstan experiments run -f FILE`: renders every experiment and (re)creates it on the cluster.
struct ExperimentsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Render each experiment and create it, deleting an object of the same name first.",
        discussion: """
            Each experiment becomes one Job (or PyTorchJob/TFJob, the file's `kind`), named SET-ID; one of
            that name is deleted, and waited for, before it is created again. kubectl runs on the inventory's
            first control-plane host over SSH (KUBECONFIG=/etc/kubernetes/admin.conf), or here with
            --kubeconfig. --dry-run prints the manifests as one YAML stream and contacts nothing.
            """)

    @OptionGroup var experiments: ExperimentsFileOptions
    @OptionGroup var target: KubectlTargetOptions

    @Option(name: .customLong("template"), help: "Jinja template to render each experiment (the Workflow with --argo).")
    var template: String?

    @Flag(name: .customLong("delete-only"), help: "Only delete the selected experiments' objects.")
    var deleteOnly = false

    @Flag(name: .customLong("dry-run"), help: "Print the rendered manifests on standard output; change nothing.")
    var dryRun = false

    @Flag(name: .customLong("argo"), help: "One Argo Workflow fanning out over the experiments, with a merge step.")
    var argo = false

    func run() async throws {
        let manifests: [RenderedManifest]
        do {
            let (file, selected) = try experiments.load()
            let renderer = ManifestRenderer(templatePath: template)
            manifests =
                argo ? [try renderer.renderWorkflow(selected, of: file)] : try renderer.render(selected, of: file)
        } catch {
            throw ExperimentsFailure.exit(error)
        }
        if dryRun {
            print(RenderedManifest.stream(manifests), terminator: "")
            return
        }
        let kubectl: Kubectl
        do { kubectl = try target.kubectl() } catch { throw ExperimentsFailure.exit(error) }
        do {
            try await ExperimentLauncher(kubectl: kubectl).launch(manifests, deleteOnly: deleteOnly) {
                ExperimentsOutput.line($0)
            }
        } catch {
            await kubectl.close()
            throw ExperimentsFailure.exit(error)
        }
        await kubectl.close()
    }
}

/// `capstan experiments template [KIND]`: prints a built-in template to start a custom one from.
struct ExperimentsTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Print a built-in template (Job, PyTorchJob, TFJob or Workflow).")

    @Argument(help: "Job (default), PyTorchJob, TFJob or Workflow.")
    var kind: String = "Job"

    func run() throws {
        if kind.lowercased() == "workflow" {
            print(ArgoWorkflowContext.template, terminator: "")
            return
        }
        guard let k = ExperimentKind.allCases.first(where: { $0.rawValue.lowercased() == kind.lowercased() }) else {
            throw ValidationError("unknown kind '\(kind)': Job, PyTorchJob, TFJob or Workflow")
        }
        print(BuiltinTemplates.template(for: k), terminator: "")
    }
}
