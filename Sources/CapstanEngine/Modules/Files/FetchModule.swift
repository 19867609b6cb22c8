import Collections
import Foundation

/// `fetch`: copies a node file to the controller (`dest/HOST/src` unless `flat`). One command: it
/// prints the node file's SHA-1 and, only when that differs from the controller copy's, the bytes.
public struct FetchModule: Module {
    public static let name = "fetch"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("src", required: true), ArgumentDefinition("dest", required: true),
        ArgumentDefinition("flat", .bool, default: false), ArgumentDefinition("fail_on_missing", .bool, default: true),
        ArgumentDefinition("validate_checksum", .bool, aliases: ["validate_md5"], default: true),
    ])

    let arguments: ModuleArguments

    public init(arguments: ModuleArguments) throws { self.arguments = arguments }

    /// The controller path the file goes to, as Ansible's fetch action computes it.
    func localPath(host: String) throws -> String {
        let src = arguments.string("src") ?? ""
        var dest = arguments.string("dest") ?? ""
        if !dest.hasPrefix("/") { dest = FileManager.default.currentDirectoryPath + "/" + dest }
        if arguments.bool("flat") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dest, isDirectory: &isDirectory), isDirectory.boolValue,
                !dest.hasSuffix("/")
            {
                throw ModuleArgumentError(
                    module: Self.name,
                    message:
                        "dest is an existing directory, use a trailing slash if you want to fetch src into that directory"
                )
            }
            if dest.hasSuffix("/") { dest += (src as NSString).lastPathComponent }
        } else {
            dest = "\(dest)/\(host)/\(src)"
        }
        return (dest as NSString).standardizingPath
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let src = arguments.string("src") ?? ""
        let dest: String
        do { dest = try localPath(host: context.host) } catch let e as ModuleArgumentError { return .failed(e.message) }
        let localBytes = FileManager.default.contents(atPath: dest).map { [UInt8]($0) }
        let localSum = localBytes.map(Checksum.sha1Hex)
        let program = """
            p=\(ShellWords.quote(src))
            if [ -d "$p" ]; then echo 'E remote file is a directory, fetch cannot work on directories'; exit 0; fi
            if [ ! -e "$p" ]; then echo 'M missing'; exit 0; fi
            if [ ! -r "$p" ]; then echo 'E unable to calculate the checksum of the remote file'; exit 0; fi
            k=$(sha1sum < "$p" | cut -d' ' -f1); printf 'K %s\\n' "$k"
            if [ "$k" != \(ShellWords.quote(localSum ?? "none")) ]; then printf 'C %s\\n' "$(wc -c < "$p")"; cat -- "$p"; fi
            """
        let report = FileReport(try await context.connection.run(program, options: context.commandOptions).stdout)
        if let error = report.error { return .failed(error, ["file": .string(src)]) }
        if report.first("M") != nil {
            let fields: OrderedDictionary<String, Value> = [
                "msg": "the remote file does not exist, not transferring, ignored", "file": .string(src),
            ]
            if arguments.bool("fail_on_missing") { return ModuleOutcome(status: .failed, fields: fields) }
            return ModuleOutcome(status: .ok, fields: fields)
        }
        guard let remoteSum = report.first("K") else {
            return .failed("unable to calculate the checksum of the remote file")
        }
        guard let content = report.content else {
            return ModuleOutcome(
                status: .ok,
                fields: ["file": .string(src), "dest": .string(dest), "checksum": .string(localSum ?? "")])
        }
        if context.checkMode {
            return ModuleOutcome(
                status: .changed, fields: ["dest": .string(dest), "remote_checksum": .string(remoteSum)])
        }
        let newSum = Checksum.sha1Hex(content)
        if arguments.bool("validate_checksum") && newSum != remoteSum {
            return .failed("checksum mismatch", ["file": .string(src), "dest": .string(dest)])
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (dest as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content).write(to: URL(fileURLWithPath: dest), options: .atomic)
        } catch {
            return .failed("Failed to write \(dest): \(error)")
        }
        return ModuleOutcome(
            status: .changed,
            fields: [
                "dest": .string(dest), "checksum": .string(newSum), "remote_checksum": .string(remoteSum),
                "remote_md5sum": .null,
            ])
    }
}
