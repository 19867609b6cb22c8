/// Puts rendered experiments on the cluster, one at a time in file order: the object of the same
/// name is deleted and waited for (foreground: its pods too), then the new one is applied, as the
/// seeds' launcher does, so a rerun starts clean. `deleteOnly` stops after the delete.
public struct ExperimentLauncher: Sendable {
    public let kubectl: Kubectl
    /// Seconds kubectl waits for a deletion to finish.
    public var deleteTimeout = 300

    public init(kubectl: Kubectl) {
        self.kubectl = kubectl
    }

    /// The delete command: nothing to delete is fine, the wait covers the object's pods.
    public var deleteArguments: [String] {
        [
            "delete", "--ignore-not-found", "--cascade=foreground", "--wait=true", "--timeout=\(deleteTimeout)s", "-f",
            "-",
        ]
    }

    /// The apply command.
    public static let applyArguments = ["apply", "-f", "-"]

    /// Deletes and (unless `deleteOnly`) applies each manifest; `report` gets one line per thing
    /// done (`mnist-seed-1: job.batch "mnist-seed-1" deleted`). Stops at the first kubectl failure.
    public func launch(_ manifests: [RenderedManifest], deleteOnly: Bool, report: (String) -> Void) async throws {
        for manifest in manifests {
            let label = manifest.experimentID ?? manifest.name
            let timeout = Duration.seconds(deleteTimeout + 30)
            let deleted = try await kubectl.check(deleteArguments, stdin: manifest.text, timeout: timeout)
            for line in lines(deleted) { report("\(label): \(line)") }
            if deleteOnly { continue }
            let applied = try await kubectl.check(Self.applyArguments, stdin: manifest.text, timeout: .seconds(120))
            for line in lines(applied) { report("\(label): \(line)") }
        }
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
    }
}
