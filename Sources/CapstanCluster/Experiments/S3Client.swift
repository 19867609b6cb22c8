import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Just enough of S3 to fetch results: list the keys under a prefix (ListObjectsV2, all pages) and
/// get an object, path-style (`ENDPOINT/BUCKET/KEY`), every request signed with Signature V4.
public struct S3Client: Sendable {
    /// `http(s)://host[:port]`, without a path.
    public var endpoint: URL
    public var signer: S3Signer
    /// The most seconds one request may take.
    public var timeout: TimeInterval = 60
    /// Keys per ListObjectsV2 page (`max-keys`); nil takes the server's (1,000 on S3).
    public var pageSize: Int?

    public init(endpoint: URL, signer: S3Signer) {
        self.endpoint = endpoint
        self.signer = signer
    }

    /// Every key in `bucket` that starts with `prefix`, in S3's (lexical) order.
    public func list(bucket: String, prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            if let token { query.append(("continuation-token", token)) }
            let body = String(decoding: try await request(path: "/" + bucket, query: query), as: UTF8.self)
            let page = ListBucketResult(xml: body)
            keys += page.keys
            token = page.isTruncated ? page.nextToken : nil
        } while token != nil
        return keys
    }

    /// The object's bytes.
    public func get(bucket: String, key: String) async throws -> Data {
        try await request(path: "/" + bucket + "/" + key, query: [])
    }

    /// The `Host` header for `url`: the host, and the port when the URL names one.
    public static func hostHeader(_ url: URL) -> String {
        url.host.map { host in url.port.map { "\(host):\($0)" } ?? host } ?? ""
    }

    private func request(path: String, query: [(String, String)]) async throws -> Data {
        let hostHeader = Self.hostHeader(endpoint)
        let base =
            endpoint.absoluteString.hasSuffix("/")
            ? String(endpoint.absoluteString.dropLast()) : endpoint.absoluteString
        let queryText = S3Signer.canonicalQuery(query)
        guard let url = URL(string: base + S3Signer.encodePath(path) + (queryText.isEmpty ? "" : "?" + queryText))
        else {
            throw S3Error("cannot make a URL for \(path)")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        for (name, value) in signer.headers(
            method: "GET", host: hostHeader, path: path, query: query, date: Date())
        {
            request.setValue(value, forHTTPHeaderField: name)
        }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw S3Error("GET \(url.absoluteString) failed: \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let code = ListBucketResult.elements("Code", in: String(decoding: data, as: UTF8.self)).first ?? ""
            throw S3Error("GET \(url.absoluteString) answered HTTP \(status)\(code.isEmpty ? "" : " \(code)")")
        }
        return data
    }
}

/// The parts of a ListObjectsV2 answer that paging needs.
struct ListBucketResult {
    var keys: [String]
    var isTruncated: Bool
    var nextToken: String?

    init(xml: String) {
        keys = Self.elements("Key", in: xml)
        isTruncated = Self.elements("IsTruncated", in: xml).first == "true"
        nextToken = Self.elements("NextContinuationToken", in: xml).first
    }

    /// The text of every `<name>` element (no attributes, no nesting), with XML's entities decoded.
    static func elements(_ name: String, in xml: String) -> [String] {
        var result: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"),
            let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex)
        {
            result.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return result
    }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s
        for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#13;", "\r")] {
            out = out.replacingOccurrences(of: entity, with: char)
        }
        return out.replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// An S3 request failed: unreachable, refused, or answered with an error.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
