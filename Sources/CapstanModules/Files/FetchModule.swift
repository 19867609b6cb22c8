import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `fetch`: copies a node file to the controller (`dest/HOST/src` unless `flat`). One command: it
/// prints the node file's SHA-1 and, only when that differs from the controller copy's, the bytes;
/// a file of `LocalFile.streamingThreshold` bytes or more is not printed but downloaded a chunk at a
/// time into a temporary file beside `dest` (SFTP, or a command per chunk), then renamed.
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

    /// Downloads a large node file into a temporary file beside `dest`, checks its SHA-1 against the
    /// node's, and renames it into place.
    func download(_ src: String, to dest: String, remoteSum: String, in context: ModuleContext) async throws
        -> ModuleOutcome
    {
        let directory = (dest as NSString).deletingLastPathComponent
        let temporary = TemporaryPath.beside(dest)
        defer { unlink(temporary) }
        let newSum: String
        let md5: String
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await context.connection.download(src, to: temporary, options: context.commandOptions)
            newSum = try Checksum.sha1Hex(file: temporary)
            md5 = try Checksum.md5Hex(file: temporary)
        } catch let error as ConnectionError {
            guard case .transferFailed(_, _, let detail) = error else { throw error }
            return .failed("Failed to fetch \(src) to \(dest): \(detail)", ["file": .string(src)])
        } catch {
            return .failed("Failed to write \(dest): \(error)")
        }
        if arguments.bool("validate_checksum") && newSum != remoteSum {
            return .failed("checksum mismatch", ["file": .string(src), "dest": .string(dest)])
        }
        guard rename(temporary, dest) == 0 else {
            return .failed("Failed to write \(dest): \(String(cString: strerror(errno)))")
        }
        return ModuleOutcome(
            status: .changed,
            fields: [
                "dest": .string(dest), "checksum": .string(newSum), "remote_checksum": .string(remoteSum),
                "md5sum": .string(md5), "remote_md5sum": .null,
            ])
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let src = arguments.string("src") ?? ""
        let dest: String
        do { dest = try localPath(host: context.host) } catch let e as ModuleArgumentError { return .failed(e.message) }
        let localSum = FileManager.default.fileExists(atPath: dest) ? try? Checksum.sha1Hex(file: dest) : nil
        let inputs: KeyValuePairs = [
            "p": src, "sum": localSum ?? "none", "limit": "\(LocalFile.streamingThreshold)",
        ]
        let program = RemoteProgram.assignments(inputs) + NodePrograms.fetch
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
        if report.first("L") != nil {
            if context.checkMode {
                return ModuleOutcome(
                    status: .changed, fields: ["dest": .string(dest), "remote_checksum": .string(remoteSum)])
            }
            return try await download(src, to: dest, remoteSum: remoteSum, in: context)
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
                "md5sum": .string(Checksum.md5Hex(content)), "remote_md5sum": .null,
            ])
    }
}
