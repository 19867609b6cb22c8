import CapstanBasics
import CapstanYAML
import Foundation

/// The operator's side of the object store, as `capstan ml up` writes it to
/// `artifacts/CLUSTER/object-store.json` (mode 0600):
/// `{"endpoint": "http://…:PORT", "access_key": "…", "secret_key": "…", "buckets": ["artifacts", …]}`.
public struct ObjectStoreCredentials: Sendable {
    public var endpoint: String
    public var accessKey: String
    public var secretKey: Secret
    public var buckets: [String]

    public init(endpoint: String, accessKey: String, secretKey: Secret, buckets: [String] = []) {
        self.endpoint = endpoint
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.buckets = buckets
    }

    /// Reads the file; a missing field is an error that names the field, never a value.
    public static func load(path: String) throws -> ObjectStoreCredentials {
        let text = try YAMLLoader.readText(path)
        let value: Value
        do { value = try Value(jsonText: text) } catch {
            throw InputError("not valid JSON", at: SourceLocation(file: path, line: 1, column: 1))
        }
        func field(_ name: String) throws -> String {
            guard let s = value[name]?.stringValue, !s.isEmpty else {
                throw InputError("missing string field '\(name)'", at: SourceLocation(file: path, line: 1, column: 1))
            }
            return s
        }
        return ObjectStoreCredentials(
            endpoint: try field("endpoint"), accessKey: try field("access_key"),
            secretKey: Secret(try field("secret_key")),
            buckets: value["buckets"]?.listValue?.compactMap(\.stringValue) ?? [])
    }
}

/// Downloads each experiment's results (`BUCKET/SET/ID/…`) into `DIR/ID/…`, and for a Workflow
/// the merge step's `SET/merged/…` into `DIR/merged/…`.
public struct ResultsDownloader: Sendable {
    public var client: S3Client
    public var bucket: String

    public init(client: S3Client, bucket: String) {
        self.client = client
        self.bucket = bucket
    }

    /// What one prefix gave.
    public struct Download: Sendable {
        public var name: String
        public var files: Int
        public var bytes: Int
    }

    /// Downloads every object under `SET/NAME/` for each name into `directory/NAME/`.
    public func download(set: String, names: [String], into directory: String) async throws -> [Download] {
        var downloads: [Download] = []
        for name in names {
            let prefix = set + "/" + name + "/"
            var download = Download(name: name, files: 0, bytes: 0)
            for key in try await client.list(bucket: bucket, prefix: prefix) where !key.hasSuffix("/") {
                let relative = String(key.dropFirst(prefix.count))
                let parts = relative.split(separator: "/")
                guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
                    throw S3Error("refusing the object key '\(key)': it would leave \(directory)/\(name)")
                }
                let data = try await client.get(bucket: bucket, key: key)
                let target = directory + "/" + name + "/" + parts.joined(separator: "/")
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target, contents: data) else {
                    throw S3Error("cannot write \(target)")
                }
                download.files += 1
                download.bytes += data.count
            }
            downloads.append(download)
        }
        return downloads
    }
}
