import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `unarchive`: unpacks a tar (plain, gzip, bzip2, xz) or zip archive into an existing directory.
/// A controller archive (`remote_src: false`, found like copy's `src`) is first uploaded to a
/// temporary file with `connection.put`; then one remote program compares the archive with `dest`
/// and extracts only when they differ. For tar the comparison is GNU `tar --diff` read as Ansible's
/// TgzArchive reads it (missing files, size, contents, mtime, type and, without `mode:`, mode; owner
/// differences are ignored). For zip (needs `unzip` on the node) the archive is unpacked to a
/// scratch folder and compared file by file (size and bytes; Ansible also compares mtimes and CRCs).
/// `mode`/`owner`/`group` are applied to every extracted path after an extraction.
public struct UnarchiveModule: Module {
    public static let name = "unarchive"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("src", .path, required: true), ArgumentDefinition("dest", .path, required: true),
            ArgumentDefinition("remote_src", .bool, default: false), ArgumentDefinition("creates", .path),
            ArgumentDefinition("list_files", .bool, default: false),
            ArgumentDefinition("keep_newer", .bool, default: false),
            ArgumentDefinition("exclude", .list, default: .list([])),
            ArgumentDefinition("include", .list, default: .list([])),
            ArgumentDefinition("extra_opts", .list, default: .list([])),
            ArgumentDefinition("io_buffer_size", .int, default: 65536),
            ArgumentDefinition("decrypt", .bool, default: true), ArgumentDefinition("copy", .bool),
            ArgumentDefinition("validate_certs", .bool, default: true),
        ] + FileAttributesSpec.arguments, mutuallyExclusive: [["include", "exclude"]])

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
    }

    /// The words of a list argument, one per entry.
    func words(_ key: String) -> String {
        (arguments[key]?.listValue ?? []).map { ShellWords.quote($0.pythonString) }.joined(separator: " ")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let a = arguments
        let src = a.string("src") ?? ""
        let dest = a.string("dest") ?? ""
        var remoteSource = a.bool("remote_src")
        if case .bool(let copy)? = a["copy"] { remoteSource = !copy }
        if let creates = a.string("creates") {
            let probe = try await context.connection.run(
                "test -e \(ShellWords.quote(creates))", options: context.commandOptions)
            if probe.exitStatus == 0 {
                return ModuleOutcome(status: .skipped, fields: ["msg": .string("skipped, since \(creates) exists")])
            }
        }
        var archive = src
        var uploaded = false
        if !remoteSource {
            guard let local = CopyModule.locate(src, in: context.searchPaths) else {
                return .failed(CopyModule.notFoundMessage(src, searchPaths: context.searchPaths))
            }
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: local)))
            archive = "/tmp/.capstan-unarchive-\(UUID().uuidString)"
            try await context.connection.put(
                bytes, to: archive, attributes: FileAttributes(mode: 0o600), options: context.commandOptions)
            uploaded = true
        }
        var mode = ""
        switch attributes.mode {
        case .absolute(let m)?: mode = String(m, radix: 8)
        case .symbolic(let m)?: mode = m
        case nil: break
        }
        func lines(_ key: String) -> String { (a[key]?.listValue ?? []).map(\.pythonString).joined(separator: "\n") }
        let inputs: KeyValuePairs<String, String> = [
            "archive": archive, "dest": dest, "uploaded": RemoteProgram.flag(uploaded),
            "check": RemoteProgram.flag(context.checkMode), "keep_newer": RemoteProgram.flag(a.bool("keep_newer")),
            "mode": mode, "owner": attributes.owner ?? "", "group": attributes.group ?? "",
            "exclude": lines("exclude"), "include": lines("include"),
        ]
        // extra_opts become the program's positional parameters, each one word as given.
        let extra = "set -- \(words("extra_opts"))\n"
        // The node's own locale, not C: under C, tar lists names that are not ASCII escaped.
        let program = RemoteProgram.assignments(inputs) + extra + RemoteProgram.helpers + UnarchiveProgram.body
        let report = ProgramReport(try await context.connection.run(program, options: context.commandOptions))
        var fields: OrderedDictionary<String, Value> = ["dest": .string(dest), "src": .string(src)]
        if let handler = report["handler"] { fields["handler"] = .string(handler) }
        guard report.succeeded else { return .failed(report.stderr, fields) }
        // Ansible's tar handlers refuse check mode outright: the task is skipped, not predicted.
        if context.checkMode, let handler = report["handler"], handler != "ZipArchive" {
            return ModuleOutcome(
                status: .skipped,
                fields: ["msg": "remote module (ansible.legacy.unarchive) does not support check mode when using gtar"])
        }
        // Ansible lists the archive's files, not its directory entries (checked against ansible 2.19).
        if a.bool("list_files") {
            fields["files"] = .list(report.all("file").filter { !$0.hasSuffix("/") }.map(Value.string))
        }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok, fields: fields)
    }
}
