import CapstanBasics
import Collections
import Foundation

/// `copy` with `remote_src: true`: the source is on the node. One command compares (SHA-1 of both
/// files, or `diff -rq` for a directory), one more copies (temporary file + rename for a file,
/// `cp -R` for a directory) when they differ.
struct RemoteCopy {
    var src: String
    var request: FileWriter.Request
    var preserveMode: Bool

    func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let name = src.hasSuffix("/") ? String(src.dropLast()) : src
        let base = (name as NSString).lastPathComponent
        let inputs: KeyValuePairs = [
            "s": src, "p": request.dest, "base": base, "contents": RemoteProgram.flag(src.hasSuffix("/")),
        ]
        let probe = FileShell.prelude + RemoteProgram.assignments(inputs) + NodePrograms.remoteCopyProbe
        let probed = FileReport(try await context.connection.run(probe, options: context.commandOptions).stdout)
        if let error = probed.error { return .failed(error) }
        let path = probed.first("P") ?? request.dest
        var fields: OrderedDictionary<String, Value> = ["dest": .string(path), "src": .string(src)]
        if let same = probed.first("R") {
            if same == "same" || context.checkMode {
                return ModuleOutcome(status: same == "same" ? .ok : .changed, fields: fields)
            }
            let copy =
                "s=\(ShellWords.quote(src)); p=\(ShellWords.quote(path))\n"
                + "mkdir -p -- \"$p\" && cp -R -- \"$s\"/. \"$p\"/ && echo 'O done'\n"
            let result = try await context.connection.run(copy, options: context.commandOptions)
            guard FileReport(result.stdout).first("O") != nil else {
                return .failed("could not copy \(src): \(result.stderrText)")
            }
            return ModuleOutcome(status: .changed, fields: fields)
        }
        let source = (probed.first("J") ?? "").split(separator: "|").map(String.init)
        let state = probed.state
        if state?.kind == .directory { return .failed("Destination \(path) is a directory") }
        if state != nil && !request.force {
            return ModuleOutcome(status: .ok, fields: ["dest": .string(path)])
        }
        var attributes = request.attributes
        if preserveMode, source.count == 2, let m = UInt32(source[1], radix: 8) { attributes.mode = .absolute(m) }
        let contentChanged = probed.first("K") != source.first
        let changes = attributes.changes(
            for: state ?? probed.creatorState(isDirectory: false), isDirectory: false, umask: probed.umask)
        fields["checksum"] = .string(source.first ?? "")
        if context.checkMode || (!contentChanged && changes.isEmpty) {
            if let state { fields.merge(state.pathInfo) { _, new in new } }
            return ModuleOutcome(status: contentChanged || !changes.isEmpty ? .changed : .ok, fields: fields)
        }
        let parentExists = probed.first("D") != nil
        if contentChanged && !parentExists && !request.dest.hasSuffix("/") {
            return .failed("Destination directory \((path as NSString).deletingLastPathComponent) does not exist")
        }
        var program = FileShell.prelude + "s=\(ShellWords.quote(src)); p=\(ShellWords.quote(path))\n"
        if contentChanged {
            if !parentExists {
                program += ParentDirectories.create(
                    mode: request.directoryMode, owner: attributes.owner, group: attributes.group, umask: probed.umask)
            }
            program += FileShell.atomicWrite(.nodeFile(path: src), validate: request.validate, backup: request.backup)
        }
        program += changes.shell("\"$p\"") + "st \"$p\"\n"
        let report = FileReport(try await context.connection.run(program, options: context.commandOptions).stdout)
        if let refused = FileWriter.validationFailure(report) { return refused }
        if let failure = report.error { return .failed(failure, fields) }
        guard let final = report.state else { return .failed("could not copy \(src) to \(path)") }
        fields.merge(final.pathInfo) { _, new in new }
        if let backup = report.first("B") { fields["backup_file"] = .string(backup) }
        return ModuleOutcome(status: .changed, fields: fields)
    }
}
