import ArgumentParser
import CapstanBasics
import CapstanCluster
import Foundation

/// `capstan experiments results -f FILE`: downloads each experiment's results from the object store.
struct ExperimentsResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Download each experiment's results (BUCKET/SET/ID/) from the object store into DIR/ID/.",
        discussion: """
            Credentials and endpoint come from object-store.json in the cluster's state folder, as `capstan ml \
            up` writes it: with -i INVENTORY the folder beside the inventory (<inventory dir>/artifacts/CLUSTER, \
            or capstan_state_dir/CLUSTER), else artifacts/CLUSTER under the current directory \
            (--object-store to name another file); --endpoint overrides its endpoint. Requests are signed
            with AWS Signature V4; the secret key is never printed.
            """)

    @OptionGroup var experiments: ExperimentsFileOptions

    @Option(name: .customLong("cluster"), help: "Cluster name: credentials from artifacts/CLUSTER/object-store.json.")
    var cluster = "capstan"

    @Option(
        name: [.short, .customLong("inventory")],
        help: "Inventory: credentials from the cluster's state folder beside it.")
    var inventory: [String] = []

    @Option(name: .customLong("object-store"), help: "The object-store.json file to read instead.")
    var objectStore: String?

    @Option(name: .customLong("endpoint"), help: "S3 endpoint to use instead of the file's (http://HOST:PORT).")
    var endpoint: String?

    @Option(name: .customLong("region"), help: "Region to sign requests for.")
    var region = "us-east-1"

    @Option(name: [.short, .customLong("output-dir")], help: "Where to put the results (default results/SET).")
    var outputDir: String?

    @Flag(name: .customLong("argo"), help: "Also fetch the Workflow's merge step output (SET/merged/).")
    var argo = false

    func run() async throws {
        do {
            let (file, selected) = try experiments.load()
            guard let store = file.objectStore else {
                throw InputError(
                    "the experiments file turns the object store off (object_store: false)",
                    at: SourceLocation(file: file.path, line: 1, column: 1))
            }
            let credentials = try ObjectStoreCredentials.load(
                path: objectStore ?? stateFolder() + "/object-store.json")
            let endpointText = endpoint ?? credentials.endpoint
            guard let url = URL(string: endpointText), url.scheme == "http" || url.scheme == "https", url.host != nil
            else { throw ValidationError("the object store endpoint '\(endpointText)' is not an http(s) URL") }
            let client = S3Client(
                endpoint: url,
                signer: S3Signer(accessKey: credentials.accessKey, secretKey: credentials.secretKey, region: region))
            let directory = outputDir ?? "results/\(file.setLabel)"
            let names = selected.map(\.id) + (argo ? ["merged"] : [])
            let downloads = try await ResultsDownloader(client: client, bucket: store.bucket).download(
                set: file.setLabel, names: names, into: directory)
            for d in downloads {
                ExperimentsOutput.line(
                    "\(d.name): \(d.files) file\(d.files == 1 ? "" : "s"), \(d.bytes) bytes -> \(directory)/\(d.name)")
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ExperimentsFailure.exit(error)
        }
    }

    /// The cluster's state folder: beside the inventory with -i, else artifacts/CLUSTER here.
    private func stateFolder() -> String {
        guard !inventory.isEmpty else { return "artifacts/\(cluster)" }
        let named: [String: Value] = cluster == "capstan" ? [:] : ["cluster_name": .string(cluster)]
        return ClusterContext.load(sources: inventory, extraVars: named).state.directory
    }
}
