import ArgumentParser
import CapstanBasics
import CapstanCluster
import CapstanExecution
import Foundation

/// `capstan experiments status -f FILE`: one line per experiment: id, params, phase, duration, node.
struct ExperimentsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each experiment's phase, duration and node in a table.",
        discussion: "Exit 0 when every experiment was found, 2 when one is NotFound (never run, or deleted) or "
            + "kubectl fails, 4 when the control plane cannot be reached.")

    @OptionGroup var experiments: ExperimentsFileOptions
    @OptionGroup var target: KubectlTargetOptions

    @Flag(name: .customLong("argo"), help: "Read the experiments' steps from the set's Argo Workflow.")
    var argo = false

    func run() async throws {
        let file: ExperimentsFile
        let selected: [Experiment]
        do { (file, selected) = try experiments.load() } catch { throw ExperimentsFailure.exit(error) }
        let kubectl: Kubectl
        do { kubectl = try target.kubectl() } catch { throw ExperimentsFailure.exit(error) }
        do {
            let rows = try await argo ? workflowRows(kubectl, file, selected) : objectRows(kubectl, file, selected)
            await kubectl.close()
            print(ExperimentStatusReader.table(rows), terminator: "")
            let missing = rows.filter { $0.phase == ExperimentStatusReader.notFound }
            if !missing.isEmpty {
                Diagnostics.printError(notFoundMessage(missing.count, of: rows.count, file))
                throw ExitCode(ExitStatus.hostsFailed.rawValue)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            await kubectl.close()
            throw ExperimentsFailure.exit(error)
        }
    }

    /// Why experiments are NotFound: where they were looked for, and the command that starts them.
    private func notFoundMessage(_ count: Int, of total: Int, _ file: ExperimentsFile) -> String {
        let looked =
            argo
            ? "as steps of the Workflow \(file.setLabel) in namespace \(file.namespace)"
            : "as \(file.kind.resource) labelled \(ExperimentContext.setLabel)=\(file.setLabel) "
                + "in namespace \(file.namespace)"
        return "\(count) of \(total) experiments NotFound \(looked): not run yet (capstan experiments run -f "
            + "\(experiments.file)\(argo ? " --argo" : "")), deleted, or run in another namespace or cluster"
    }

    private func objectRows(_ kubectl: Kubectl, _ file: ExperimentsFile, _ selected: [Experiment]) async throws
        -> [ExperimentStatusRow]
    {
        let selector = "\(ExperimentContext.setLabel)=\(file.setLabel)"
        let objects = try await getJSON(kubectl, [file.kind.resource, "-n", file.namespace, "-l", selector])
        let pods = try await getJSON(kubectl, ["pods", "-n", file.namespace, "-l", selector])
        return ExperimentStatusReader.rows(selected, objects: objects, pods: pods, now: Date())
    }

    private func workflowRows(_ kubectl: Kubectl, _ file: ExperimentsFile, _ selected: [Experiment]) async throws
        -> [ExperimentStatusRow]
    {
        let result = try await kubectl.run(
            ["get", "workflows.argoproj.io", file.setLabel, "-n", file.namespace, "--ignore-not-found", "-o", "json"],
            timeout: .seconds(60))
        guard result.succeeded else { throw KubectlError("kubectl get failed: \(result.stderrText)") }
        let text = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let workflow = text.isEmpty ? Value.null : try Value(jsonText: text)
        return ExperimentStatusReader.workflowRows(selected, workflow: workflow, now: Date())
    }

    private func getJSON(_ kubectl: Kubectl, _ arguments: [String]) async throws -> Value {
        try await kubectl.json(["get"] + arguments + ["-o", "json"])
    }
}

/// `capstan experiments logs ID -f FILE`: the logs of every container of the experiment's pods.
struct ExperimentsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the logs of an experiment's pods (every container, prefixed).")

    @OptionGroup var experiments: ExperimentsFileOptions
    @OptionGroup var target: KubectlTargetOptions

    @Argument(help: "The experiment id.")
    var id: String

    func run() async throws {
        let file: ExperimentsFile
        let experiment: Experiment
        do {
            file = try ExperimentsFileParser().load(path: experiments.file)
            experiment = try file.selecting([id])[0]
        } catch { throw ExperimentsFailure.exit(error) }
        let kubectl: Kubectl
        do { kubectl = try target.kubectl() } catch { throw ExperimentsFailure.exit(error) }
        let selector = "\(ExperimentContext.jobLabel)=\(experiment.name)"
        do {
            let text = try await kubectl.check(
                [
                    "logs", "-n", file.namespace, "-l", selector, "--all-containers", "--prefix", "--tail=-1",
                    "--max-log-requests=20",
                ], timeout: .seconds(120))
            await kubectl.close()
            print(text, terminator: text.isEmpty || text.hasSuffix("\n") ? "" : "\n")
        } catch {
            await kubectl.close()
            throw ExperimentsFailure.exit(error)
        }
    }
}
