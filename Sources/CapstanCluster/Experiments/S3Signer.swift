import CapstanBasics
import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests without a body (GET, HEAD), header-signed: the
/// `Authorization`, `x-amz-date` and `x-amz-content-sha256` headers a request needs. Works with
/// MinIO, SeaweedFS and every S3 implementation that checks signatures.
public struct S3Signer: Sendable {
    public var accessKey: String
    public var secretKey: Secret
    public var region: String
    public var service = "s3"

    public init(accessKey: String, secretKey: Secret, region: String = "us-east-1") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
    }

    /// SHA-256 of the empty payload, as every body-less request declares it.
    public static let emptyPayloadHash = Digest.hex(Digest.sha256([]))

    /// The headers to send with `method` to `host` (with `:port` unless it is the scheme's
    /// default), `path` (not yet encoded, starting with `/`) and `query` (not yet encoded).
    public func headers(method: String, host: String, path: String, query: [(String, String)], date: Date)
        -> [(String, String)]
    {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        let payloadHash = Self.emptyPayloadHash
        let canonicalHeaders = [("host", host), ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate)]
        let signedHeaders = canonicalHeaders.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            method, Self.encodePath(path), Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Digest.hex(Digest.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = Array(("AWS4" + secretKey.value).utf8)
        for part in [day, region, service, "aws4_request"] { key = Self.hmac(Array(part.utf8), key: key) }
        let signature = Digest.hex(Self.hmac(Array(stringToSign.utf8), key: key))
        return [
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedHeaders), "
                    + "Signature=\(signature)"
            ),
            ("x-amz-content-sha256", payloadHash), ("x-amz-date", amzDate),
        ]
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static func hmac(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters (and `/` in paths).
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber) || "-._~".contains(c) || (keepSlash && c == "/") {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The path as S3 signs it: each segment encoded once.
    public static func encodePath(_ path: String) -> String { encode(path, keepSlash: true) }

    /// Query parameters encoded and sorted by name, then value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (encode($0.0), encode($0.1)) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
