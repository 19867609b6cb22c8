import CapstanBasics
import Collections

/// `apt_key`: one OpenPGP key for apt, in one remote program. The key comes from `data` (sent on
/// standard input, never in argv), `file` (on the node) or `url` (downloaded on the node); its id is
/// read with `gpg --with-colons` when `id` is not given. Present with `keyring:` appends the key,
/// dearmoured with `gpg --dearmor`, to that keyring file (a binary keyring apt reads); on a node
/// without gpg the armoured key is written as is, with `.gpg` in the name turned into `.asc`, and
/// "already there" means the same bytes. Without `keyring:` the key goes through `apt-key add` as in
/// Ansible, which fails with a clear message where apt-key is gone (Debian 13). `keyserver` is not
/// supported (it needs dirmngr and network on the node).
public struct AptKeyModule: Module {
    public static let name = "apt_key"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("id"), ArgumentDefinition("url"), ArgumentDefinition("data"),
            ArgumentDefinition("file", .path), ArgumentDefinition("keyring", .path),
            ArgumentDefinition("validate_certs", .bool, default: true), ArgumentDefinition("keyserver"),
            ArgumentDefinition("state", choices: ["absent", "present"], default: "present"),
        ], mutuallyExclusive: [["data", "file", "keyserver", "url"]])

    let arguments: ModuleArguments
    let id: String

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        self.arguments = arguments
        var id = (arguments.string("id") ?? "").uppercased()
        if id.hasPrefix("0X") { id = String(id.dropFirst(2)) }
        if !id.isEmpty, id.contains(where: { !$0.isHexDigit }) { throw fail("Invalid key_id") }
        if arguments.string("keyserver") != nil {
            throw fail(
                id.isEmpty ? "Missing key_id, required with keyserver." : "keyserver is not supported by Capstan")
        }
        self.id = id
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        let state = a.string("state") ?? "present"
        if state == "absent" && id.isEmpty { return .failed("key is required to remove a key") }
        let data = a.string("data")
        var options = context.commandOptions
        options.stdin = Array((data ?? "").utf8)
        let inputs: KeyValuePairs<String, String> = [
            "id": id, "url": a.string("url") ?? "", "file": a.string("file") ?? "",
            "has_data": RemoteProgram.flag(data != nil), "keyring": a.string("keyring") ?? "", "state": state,
            "check": RemoteProgram.flag(context.checkMode), "insecure": RemoteProgram.flag(!a.bool("validate_certs")),
        ]
        let program = RemoteProgram.assignments(inputs) + RemoteProgram.prelude + AptKeyProgram.body
        let report = ProgramReport(try await context.connection.run(program, options: options))
        var fields: OrderedDictionary<String, Value> = [:]
        // As Ansible: an id read from the key is its 16-digit long id; a given id is kept as given.
        if let found = report["id"] {
            let keyID = id.isEmpty ? String(found.suffix(16)) : id
            fields["id"] = .string(id.isEmpty ? keyID : a.string("id") ?? id)
            fields["short_id"] = .string(String(keyID.suffix(8)))
            fields["fp"] = .string(String(keyID.suffix(16)))
            fields["key_id"] = .string(keyID)
        }
        fields["before"] = .list(report.all("before").map { .string(String($0.suffix(16))) })
        if let keyring = report["keyring"] { fields["keyring"] = .string(keyring) }
        guard report.succeeded else { return .failed(report.stderr, fields) }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok, fields: fields)
    }
}
