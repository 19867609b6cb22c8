import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanCluster
@testable import CapstanTransport

/// `capstan experiments results`: Signature V4 compared with botocore's signer (committed output of
/// Tests/oracles/sigv4-expected.py), and downloads from a real S3 implementation on loopback
/// (moto's server, with its signature checking turned on).
@Suite(.serialized) struct S3ResultsTests {
    @Test func signaturesMatchBotocore() throws {
        let cases = try Value(jsonText: try Fixtures.text("experiments/sigv4-expected.json")).listValue ?? []
        #expect(cases.count == 4)
        for c in cases {
            let signer = S3Signer(
                accessKey: c["access_key"]?.stringValue ?? "", secretKey: Secret(c["secret_key"]?.stringValue ?? ""),
                region: c["region"]?.stringValue ?? "")
            let endpoint = URL(string: c["endpoint"]?.stringValue ?? "")!
            let query = (c["query"]?.listValue ?? []).map {
                ($0.listValue?[0].stringValue ?? "", $0.listValue?[1].stringValue ?? "")
            }
            let date = ISO8601DateFormatter().date(from: c["date"]?.stringValue ?? "")!
            let headers = Dictionary(
                uniqueKeysWithValues: signer.headers(
                    method: "GET", host: S3Client.hostHeader(endpoint), path: c["path"]?.stringValue ?? "",
                    query: query, date: date))
            let expected = c["headers"] ?? .null
            #expect(headers["Authorization"] == expected["Authorization"]?.stringValue)
            #expect(headers["x-amz-date"] == expected["X-Amz-Date"]?.stringValue)
            #expect(headers["x-amz-content-sha256"] == expected["X-Amz-Content-SHA256"]?.stringValue)
        }
    }

    static let objects: [String: String] = [
        "mnist/baseline/metrics.json": #"{"accuracy": 0.98}"#,
        "mnist/baseline/ckpt/model (final).bin": "weights ü",
        "mnist/baseline-2/other.txt": "not baseline's",
        "mnist/batch-size-32-seed-1/metrics.json": #"{"accuracy": 0.97}"#,
        "mnist/merged/summary.jsonl": "{}\n",
        "elsewhere/x": "no",
    ]

    @Test func resultsCommandDownloadsEachExperimentsPrefix() throws {
        let server = try MotoServer.start()
        defer { server.stop() }
        let keys = try server.seed(bucket: "artifacts", objects: Self.objects)
        let dir = TestScratch.directory + "/capstan-results-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/mnist.yaml"
        try ExperimentFixtures.sweep().write(toFile: file, atomically: true, encoding: .utf8)
        let store = dir + "/object-store.json"
        func writeStore(secret: String) throws {
            let json: Value = [
                "endpoint": .string(server.endpoint), "access_key": .string(keys.access), "secret_key": .string(secret),
                "buckets": ["artifacts"],
            ]
            try json.json().write(toFile: store, atomically: true, encoding: .utf8)
        }
        try writeStore(secret: keys.secret)
        let out = dir + "/results"
        let run = try CapstanBinary.run([
            "experiments", "results", "-f", file, "--object-store", store, "-o", out, "--argo",
            "--only", "baseline,batch-size-32-seed-1",
        ])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("baseline: 2 files, 28 bytes -> \(out)/baseline"))
        #expect(run.out.contains("merged: 1 file, 3 bytes"))
        #expect(try String(contentsOfFile: out + "/baseline/ckpt/model (final).bin", encoding: .utf8) == "weights ü")
        #expect(
            try String(contentsOfFile: out + "/batch-size-32-seed-1/metrics.json", encoding: .utf8).contains("0.97"))
        #expect(!FileManager.default.fileExists(atPath: out + "/baseline/other.txt"))
        #expect(!FileManager.default.fileExists(atPath: out + "/batch-size-64-seed-1"))
        #expect(!(run.out + run.err).contains(keys.secret))

        // The server checks signatures: a wrong secret is refused, and not printed either.
        try writeStore(secret: "wrong-\(keys.secret)")
        let refused = try CapstanBinary.run(["experiments", "results", "-f", file, "--object-store", store, "-o", out])
        #expect(refused.status == 2 && refused.err.contains("HTTP 403"), "\(refused.err)")
        #expect(!(refused.out + refused.err).contains(keys.secret))
    }

    @Test func listingFollowsContinuationTokens() async throws {
        let server = try MotoServer.start()
        defer { server.stop() }
        var objects: [String: String] = [:]
        for i in 0..<7 { objects["set/run/file-\(i).txt"] = "\(i)" }
        let keys = try server.seed(bucket: "runs", objects: objects)
        var client = S3Client(
            endpoint: URL(string: server.endpoint)!,
            signer: S3Signer(accessKey: keys.access, secretKey: Secret(keys.secret)))
        client.pageSize = 3
        #expect(try await client.list(bucket: "runs", prefix: "set/run/") == (0..<7).map { "set/run/file-\($0).txt" })
        let dir = TestScratch.directory + "/capstan-paging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let got = try await ResultsDownloader(client: client, bucket: "runs").download(
            set: "set", names: ["run"], into: dir)
        #expect(got.first?.files == 7)
    }
}

/// moto's S3 server on a loopback port, for one test.
struct MotoServer {
    let pid: pid_t
    let endpoint: String

    static func start() throws -> MotoServer {
        let port = Int.random(in: 20_000..<40_000)
        let log = open(
            TestScratch.directory + "/capstan-moto-\(port).log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(log) }
        let pid = try PosixSpawn.start(
            ExperimentFixtures.venv + "/moto_server", ["-H", "127.0.0.1", "-p", String(port)], stdout: log, stderr: log)
        return MotoServer(pid: pid, endpoint: "http://127.0.0.1:\(port)")
    }

    /// Creates the bucket and objects, turns signature checking on, returns the access key.
    func seed(bucket: String, objects: [String: String]) throws -> (access: String, secret: String) {
        let objectsFile = try ExperimentFixtures.temporary(
            Value.dict(
                .init(
                    uniqueKeysWithValues: objects.map {
                        ($0.key, Value.string($0.value))
                    })
            ).json(), suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: objectsFile) }
        let script = Fixtures.url("experiments/s3-seed.py").path
        let outcome = try SpawnedProcess.run(
            ExperimentFixtures.venv + "/python", [script, endpoint, bucket, objectsFile])
        guard outcome.status == 0 else {
            throw ExperimentFixtures.ToolError(message: "seeding moto failed: \(outcome.err)")
        }
        let keys = try Value(jsonText: outcome.out)
        return (keys["access_key"]?.stringValue ?? "", keys["secret_key"]?.stringValue ?? "")
    }

    func stop() {
        kill(pid, SIGTERM)
        _ = PosixSpawn.wait(pid)
    }
}
