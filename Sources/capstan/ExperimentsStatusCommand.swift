import ArgumentParser
import CapstanEngine
import Foundation

/// `capstan experiments status -f FILE`: one line per experiment: id, params, phase, duration, node.
struct ExperimentsStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each experiment's phase, duration and node in a table.")

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
        } catch {
            await kubectl.close()
            throw ExperimentsFailure.exit(error)
        }
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
        do {
            file = try ExperimentsFileParser().load(path: experiments.file)
            _ = try file.selecting([id])
        } catch { throw ExperimentsFailure.exit(error) }
        let kubectl: Kubectl
        do { kubectl = try target.kubectl() } catch { throw ExperimentsFailure.exit(error) }
        let selector = "\(ExperimentContext.setLabel)=\(file.setLabel),\(ExperimentContext.idLabel)=\(id)"
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
