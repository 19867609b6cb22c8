import CapstanBasics
import Collections
import Foundation

/// `deb822_repository`: one `/etc/apt/sources.list.d/<slug>.sources` file in deb822 format, written
/// in one remote program that compares the wanted text with the file and writes only on a
/// difference. The text is built as Ansible builds it: the set arguments sorted by name, booleans as
/// `yes`/`no`, lists joined by spaces, `name` as `X-Repolib-Name`. `signed_by` is, as in Ansible, a
/// path when that file exists on the node, a URL whose key is downloaded to
/// `/etc/apt/keyrings/<slug>.asc` (armoured) or `.gpg`, or else inline key text (indented, blank
/// lines as `.`). `install_python_debian` is accepted and ignored: nothing runs Python on nodes.
public struct Deb822RepositoryModule: Module {
    public static let name = "deb822_repository"
    static let boolFields = [
        "allow_downgrade_to_insecure", "allow_insecure", "allow_weak", "by_hash", "check_date", "check_valid_until",
        "enabled", "pdiffs", "trusted",
    ]
    static let listFields = ["architectures", "components", "languages", "suites", "targets", "uris"]
    public static let spec = ArgumentSpec(
        boolFields.map { ArgumentDefinition($0, .bool) } + listFields.map { ArgumentDefinition($0, .list) } + [
            ArgumentDefinition("date_max_future", .int), ArgumentDefinition("inrelease_path"),
            ArgumentDefinition("name", required: true), ArgumentDefinition("signed_by"),
            ArgumentDefinition("types", .list, default: .list(["deb"])),
            ArgumentDefinition("mode", .raw, default: "0644"),
            ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
            ArgumentDefinition("install_python_debian", .bool, default: false),
        ])

    let arguments: ModuleArguments
    let slug: String
    let mode: String
    let state: String
    /// A folder the `/etc/apt` paths are placed under; empty on real nodes (tests use a temporary folder).
    var root = ""

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        let name = arguments.string("name") ?? ""
        slug = name.lowercased().replacingOccurrences(of: #"[_\s]+"#, with: "-", options: .regularExpression)
            .replacingOccurrences(of: "[^a-z0-9-]+", with: "", options: .regularExpression)
        state = arguments.string("state") ?? "present"
        for t in arguments["types"]?.listValue ?? [] where t != "deb" && t != "deb-src" {
            throw ModuleArgumentError(
                module: Self.name,
                message: "value of types must be one or more of: deb, deb-src. Got no match for: \(t.pythonString)")
        }
        switch arguments["mode"] {
        case .int(let m)?: mode = String(m, radix: 8)
        case .string(let s)?: mode = s
        default: mode = "0644"
        }
    }

    var sourcesFile: String { "\(root)/etc/apt/sources.list.d/\(slug).sources" }
    var keyFile: String { "\(root)/etc/apt/keyrings/\(slug)" }

    /// The file's text with `signedBy` as the Signed-By value (nil leaves the field out).
    func content(signedBy: String?) -> String {
        var fields: [(String, String)] = []
        let names = Self.spec.arguments.map(\.name).filter { !["mode", "state", "install_python_debian"].contains($0) }
        for key in names.sorted() {
            let value: String
            if key == "signed_by" {
                guard let signedBy else { continue }
                value = signedBy
            } else {
                switch arguments[key] {
                case .bool(let b)?: value = b ? "yes" : "no"
                case .int(let i)?: value = String(i)
                case .list(let l)?: value = l.map(\.pythonString).joined(separator: " ")
                case .string(let s)?: value = s
                default: continue
                }
            }
            fields.append((Self.fieldName(key), value))
        }
        return fields.map { key, value in
            guard value.contains("\n") else { return "\(key): \(value)\n" }
            let lines = value.trimmingWhitespace().split(separator: "\n", omittingEmptySubsequences: false)
            return "\(key):\n"
                + lines.map { "    " + ($0.trimmingWhitespace().isEmpty ? "." : $0.trimmingWhitespace()) + "\n" }
                .joined()
        }.joined()
    }

    /// Ansible's `format_field_name`.
    static func fieldName(_ key: String) -> String {
        switch key {
        case "name": return "X-Repolib-Name"
        case "uris": return "URIs"
        default:
            return key.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
                .joined(separator: "-")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let signed = arguments.string("signed_by")
        let isURL =
            signed.map { $0.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://"#, options: .regularExpression) != nil } ?? false
        let report = try await RemoteProgram.run(
            [
                "state": state, "file": sourcesFile, "key": keyFile, "mode": mode,
                "check": RemoteProgram.flag(context.checkMode), "signed": signed ?? "",
                "url": RemoteProgram.flag(isURL), "text_none": content(signedBy: nil),
                "text_path": content(signedBy: signed), "text_asc": content(signedBy: keyFile + ".asc"),
                "text_gpg": content(signedBy: keyFile + ".gpg"),
            ], Deb822RepositoryProgram.body, in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        let changed = report.flag("changed")
        var fields: OrderedDictionary<String, Value> = ["dest": .string(sourcesFile)]
        let keyFilename = report["key_filename"].map(Value.string) ?? .null
        if state == "absent" {
            fields["repo"] = .null
            fields["key_filename"] = .string(keyFile + ".gpg")
        } else {
            let text: String
            switch report["variant"] {
            case "asc"?: text = content(signedBy: keyFile + ".asc")
            case "gpg"?: text = content(signedBy: keyFile + ".gpg")
            case "path"?: text = content(signedBy: signed)
            default: text = content(signedBy: nil)
            }
            fields["repo"] = .string(text)
            fields["key_filename"] = keyFilename
            if context.diffMode, changed {
                fields["diff"] = .dict([
                    "before": .string(
                        report["before"].flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
                            ?? ""),
                    "after": .string(text),
                    "before_header": .string(sourcesFile), "after_header": .string(sourcesFile),
                ])
            }
        }
        return ModuleOutcome(status: changed ? .changed : .ok, fields: fields)
    }
}
