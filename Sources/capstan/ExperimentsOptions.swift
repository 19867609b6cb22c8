import ArgumentParser
import CapstanBasics
import CapstanCluster
import CapstanExecution
import CapstanTransport
import Foundation

/// `-f experiments.yaml` and `--only`: which experiments a subcommand works on.
struct ExperimentsFileOptions: ParsableArguments {
    @Option(name: [.short, .customLong("file")], help: "The experiments file (YAML).")
    var file: String = "experiments.yaml"

    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: "Only these experiment ids (space- or comma-separated, repeatable).")
    var only: [String] = []

    /// The ids named by `--only`, commas split.
    var ids: [String] {
        only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            .filter { !$0.isEmpty }
    }

    /// The loaded file and the experiments selected from it.
    func load() throws -> (ExperimentsFile, [Experiment]) {
        let file = try ExperimentsFileParser().load(path: file)
        return (file, try file.selecting(ids))
    }
}

/// Where kubectl runs: on the inventory's first control-plane node over SSH, or here with
/// `--kubeconfig`. Not `ConnectionOptions`: its `-f` is `--forks`, and here `-f` is the file.
struct KubectlTargetOptions: ParsableArguments {
    @Option(name: [.short, .customLong("inventory")], help: "Inventory; kubectl runs on its first control-plane host.")
    var inventory: [String] = []

    @Option(
        name: .customLong("kubeconfig"),
        help:
            "Run kubectl on this machine with this kubeconfig (e.g. artifacts/CLUSTER/admin.conf) instead of over SSH.")
    var kubeconfig: String?

    @Option(name: [.short, .customLong("user")], help: "Connect as this user (when the inventory names none).")
    var user: String?

    @Option(name: .customLong("private-key"), help: "Private key file (when the inventory names none).")
    var privateKey: String?

    @Option(name: .customLong("host-key-policy"), help: "strict (default), accept-new, or off (labs only).")
    var hostKeyPolicy: HostKeyPolicy?

    @Option(name: .customLong("known-hosts"), help: "known_hosts file to check host keys against.")
    var knownHosts: String?

    @Option(name: [.customShort("T"), .customLong("timeout")], help: "Seconds allowed to connect.")
    var timeout: Int = 10

    @Flag(name: [.short, .customLong("become")], help: "Run kubectl through sudo.")
    var become = false

    @Flag(name: [.customShort("K"), .customLong("ask-become-pass")], help: "Ask for the sudo password.")
    var askBecomePass = false

    /// kubectl as chosen: local with `--kubeconfig`, else over SSH.
    func kubectl() throws -> Kubectl {
        if let kubeconfig { return Kubectl.local(kubeconfig: kubeconfig) }
        let defaults = try ConnectionFactory.Defaults.fromCommandLine(
            user: user, privateKey: privateKey, hostKeyPolicy: hostKeyPolicy, knownHosts: knownHosts,
            timeout: timeout, become: become, askBecomePass: askBecomePass)
        var warnings: [Warning] = []
        let sources = inventory.isEmpty ? ["inventory/hosts.ini"] : inventory
        let kubectl = try Kubectl.onControlPlane(inventorySources: sources, defaults: defaults, warnings: &warnings)
        Diagnostics.printWarnings(warnings)
        return kubectl
    }
}

/// How experiments commands report failures: input files exit 65 with FILE:LINE:COL, no
/// control-plane host 8, an unreachable control plane 4, kubectl or the object store saying no 2.
enum ExperimentsFailure {
    static func exit(_ error: Error) -> ExitCode {
        switch error {
        case is ConnectionError:
            Diagnostics.printError("\(error)")
            return ExitCode(ExitStatus.hostsUnreachable.rawValue)
        case is NoControlPlaneError:
            Diagnostics.printError("\(error)")
            return ExitCode(ExitStatus.noHostsMatched.rawValue)
        case is KubectlError, is S3Error:
            Diagnostics.printError("\(error)")
            return ExitCode(ExitStatus.hostsFailed.rawValue)
        default:
            return Diagnostics.fail(error)
        }
    }
}

/// Standard output of the experiments commands.
enum ExperimentsOutput {
    /// Writes a line at once, so long runs show progress.
    static func line(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
