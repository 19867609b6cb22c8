import CapstanBasics
import Collections
import Foundation

/// Writes one file on the node the way `copy` does, in two commands: one looks at the destination
/// (directory?, stat, same content? (`contentProbe`), old text for `--diff`), one writes the file (temporary file, validate,
/// backup, rename, mode/owner, new parent directories) only when content or attributes differ.
/// `template` renders, then calls this with `afterHeader: "dynamically generated"`. A large controller
/// file (`Request.file`) is not sent in the write command's input but uploaded first, a chunk at a
/// time, beside the destination (after a command that makes missing parents, if any); the write
/// command then checks and renames that upload.
public struct FileWriter: Sendable {
    /// The largest file whose text goes into a diff (Ansible's `MAX_FILE_SIZE_FOR_DIFF`).
    static let maxDiffSize = 104_448

    /// What to write and how.
    public struct Request: Sendable {
        /// The new file's bytes (ignored when `file` is set).
        public var content: [UInt8]
        /// A large controller file to send instead of `content`, streamed (`copy`'s `src`).
        public var file: LocalFile?
        /// Where they go on the node (a directory `dest` takes `nameInDirectory`).
        public var dest: String
        /// The name to use inside `dest` when `dest` is a directory (the source's base name); nil
        /// makes a directory `dest` an error, as for `content:`.
        public var nameInDirectory: String?
        /// Mode, owner and group for the file.
        public var attributes: FileAttributesSpec
        /// Mode for parent directories the write creates (`directory_mode`).
        public var directoryMode: FileMode?
        /// Keep a timestamped copy of the old file (`backup_file` in the result).
        public var backup: Bool
        /// A command that checks the new file before it replaces the old one; `%s` is its path.
        public var validate: String?
        /// `force: false` leaves an existing file alone.
        public var force: Bool
        /// Create missing parent directories (Ansible does when `dest` ends with `/`); otherwise a
        /// missing parent is an error.
        public var createParents: Bool
        /// When `dest` is a symlink, write the file it points to instead of replacing the link.
        public var follow: Bool = false
        /// The diff's `after_header`: the source path, the destination, or `dynamically generated`.
        public var afterHeader: String

        /// A write request; only `content` and `dest` are needed.
        public init(
            content: [UInt8], dest: String, nameInDirectory: String? = nil, attributes: FileAttributesSpec = .init(),
            directoryMode: FileMode? = nil, backup: Bool = false, validate: String? = nil, force: Bool = true,
            afterHeader: String = "dynamically generated", createParents: Bool = false
        ) {
            self.createParents = createParents
            self.content = content
            self.dest = dest
            self.nameInDirectory = nameInDirectory
            self.attributes = attributes
            self.directoryMode = directoryMode
            self.backup = backup
            self.validate = validate
            self.force = force
            self.afterHeader = afterHeader
        }
    }

    /// Writes `request.content` to `request.dest`; honours the context's check and diff modes and
    /// returns Ansible's copy result (`dest`, `checksum`, `size`, `mode`, `owner`, ..., `backup_file`).
    public static func write(_ request: Request, in context: ModuleContext) async throws -> ModuleOutcome {
        if let validate = request.validate, !validate.contains("%s") {
            return .failed("validate must contain %s: \(validate)")
        }
        let checksum = request.file?.sha1 ?? Checksum.sha1Hex(request.content)
        var probe = FileShell.prelude + "p=\(ShellWords.quote(request.dest))\n"
        if let name = request.nameInDirectory {
            probe += "if [ -d \"$p\" ]; then p=\"${p%/}\"/\(ShellWords.quote(name)); fi\n"
        } else {
            probe += "if [ -d \"$p\" ]; then echo 'E can not use content with a dir as dest'; exit 0; fi\n"
        }
        if request.follow { probe += "if [ -L \"$p\" ]; then p=$(readlink -f -- \"$p\"); fi\n" }
        probe += FileShell.identityIfAbsent
        probe += "printf 'P %s\\n' \"$p\"; stv \"$p\"; dn \"$p\"; if [ -d \"$dn\" ]; then echo 'D 1'; fi\n"
        probe += contentProbe(request.file == nil ? request.content : nil, size: request.size, checksum: checksum)
        if context.diffMode {
            probe += "if [ -f \"$p\" ] && [ $(wc -c < \"$p\") -le \(maxDiffSize) ]; then cnt \"$p\"; fi\n"
        }
        let probed = FileReport(try await context.connection.run(probe, options: context.commandOptions).stdout)
        if let error = probed.error { return .failed(error) }
        let path = probed.first("P") ?? request.dest
        let state = probed.state
        if let state, state.kind == .directory { return .failed("Destination \(path) is a directory") }
        if state != nil && !request.force {
            return ModuleOutcome(status: .ok, fields: ["dest": .string(path)])
        }
        let contentChanged = probed.first("K") != checksum
        // A rewritten file keeps the old file's mode and owner, so attributes compare with the old file.
        let changes = request.attributes.changes(
            for: state ?? probed.creatorState(isDirectory: false), isDirectory: false, umask: probed.umask)
        var fields: OrderedDictionary<String, Value> = ["dest": .string(path), "checksum": .string(checksum)]
        if contentChanged && context.diffMode {
            fields["diff"] = diff(before: probed.content, existed: state != nil, request: request, path: path)
        }
        if context.checkMode || (!contentChanged && changes.isEmpty) {
            if let state { fields.merge(state.pathInfo) { _, new in new } }
            if !contentChanged { fields["path"] = .string(path) }
            return ModuleOutcome(status: contentChanged || !changes.isEmpty ? .changed : .ok, fields: fields)
        }
        let parentExists = probed.first("D") != nil
        if contentChanged && !parentExists && !request.createParents {
            return .failed("Destination directory \(NSString(string: path).deletingLastPathComponent) does not exist")
        }
        var program = FileShell.prelude + "p=\(ShellWords.quote(path))\n"
        var options = context.commandOptions
        if contentChanged {
            let parents = ParentDirectories.create(
                mode: request.directoryMode, owner: request.attributes.owner, group: request.attributes.group,
                umask: probed.umask)
            if let file = request.file {
                // Sent on its own (SFTP, or a chunk per command), to a temporary file the program renames.
                if !parentExists, let failed = try await createParents(parents, path: path, in: context) {
                    return failed
                }
                let uploaded: String
                do {
                    uploaded = try await StreamedUpload.send(file, beside: path, in: context)
                } catch let failed as StreamedUpload.Failed {
                    return failed.outcome
                }
                program += FileShell.atomicWrite(
                    .uploaded(path: uploaded), validate: request.validate, backup: request.backup)
            } else {
                if !parentExists { program += parents }
                program += FileShell.atomicWrite(
                    .stdin(byteCount: request.content.count), validate: request.validate, backup: request.backup)
                options.stdin = request.content
            }
        }
        program += changes.shell("\"$p\"") + "st \"$p\"\n"
        let result = try await context.connection.run(program, options: options)
        let report = FileReport(result.stdout)
        if let refused = validationFailure(report) { return refused }
        if let failure = report.error {
            return .failed(FileShell.withReason(failure, stderr: result.stderrText), ["dest": .string(path)])
        }
        guard let final = report.state else { return .failed("could not write \(path): \(result.stderrText)") }
        fields.merge(final.pathInfo) { _, new in new }
        if contentChanged {
            fields["md5sum"] = .string(
                try request.file.map { try $0.md5() } ?? Checksum.md5Hex(request.content))
        }
        if let backup = report.first("B") { fields["backup_file"] = .string(backup) }
        return ModuleOutcome(status: .changed, fields: fields)
    }

    /// Runs the program that makes `path`'s missing parent directories; a failed outcome if it fails.
    private static func createParents(_ program: String, path: String, in context: ModuleContext) async throws
        -> ModuleOutcome?
    {
        let script = FileShell.prelude + "p=\(ShellWords.quote(path))\n" + program + "echo 'O done'\n"
        let result = try await context.connection.run(script, options: context.commandOptions)
        let report = FileReport(result.stdout)
        if let error = report.error { return .failed(FileShell.withReason(error, stderr: result.stderrText)) }
        if report.first("O") == nil { return .failed("could not create the parents of \(path): \(result.stderrText)") }
        return nil
    }

    /// The largest content compared by the shell itself: it reads a file a byte per system call, which
    /// past about this size costs more than a `sha1sum` process.
    static let inlineCompareLimit = 512

    /// Prints `K <checksum>` when the regular file at `$p` (stat line in `$sx`, from `stv`) holds the
    /// new content (`size` bytes; `content` when in memory), another `K` record when it does not. A
    /// size that differs settles it at once; small text is compared by the shell (no process);
    /// anything else, or a symlink, gets its SHA-1 from `sha1sum`.
    static func contentProbe(_ content: [UInt8]?, size: Int, checksum: String) -> String {
        // `${k%% *}` keeps the digest without a `cut` process.
        let digest = "k=$(sha1sum < \"$p\"); printf 'K %s\\n' \"${k%% *}\""
        var s = "if [ -f \"$p\" ] && [ -L \"$p\" ]; then \(digest)\n"
        s += "elif [ -f \"$p\" ]; then z=${sx#*|}; z=${z%%|*}\n"
        s += "  if [ \"$z\" != \(size) ]; then echo 'K -'\n"
        if let content, content.count <= inlineCompareLimit, !content.contains(0),
            let text = String(validating: content, as: UTF8.self)
        {
            // Equal sizes and equal text read back mean equal bytes: the shell's `read` drops NUL bytes
            // (which would make the text shorter than the size) and alters nothing else.
            s += "  else w=\(ShellWords.quote(text)); c= l=\n"
            s += "    while IFS= read -r l; do c=\"$c$l\n\"; done < \"$p\"; c=\"$c$l\"\n"
            s += "    if [ \"x$c\" = \"x$w\" ]; then echo 'K \(checksum)'; else echo 'K -'; fi\n"
        } else {
            s += "  else \(digest)\n"
        }
        return s + "  fi\nfi\n"
    }

    /// copy's own validate failure (unlike lineinfile's `failed to validate: rc:… error:…`).
    static func validationFailure(_ report: FileReport) -> ModuleOutcome? {
        guard let rc = report.first("V") else { return nil }
        return .failed(
            "failed to validate",
            ["exit_status": .int(Int(rc) ?? 1), "stdout": "", "stderr": .string((report.content ?? []).text)])
    }

    /// Ansible's copy diff: old and new text unless either is binary or too large.
    static func diff(before: [UInt8]?, existed: Bool, request: Request, path: String) -> Value {
        var d: OrderedDictionary<String, Value> = [:]
        if !existed {
            d["before"] = ""
        } else if let before {
            if before.prefix(8192).contains(0) {
                d["dst_binary"] = 1
            } else {
                d["before_header"] = .string(path)
                d["before"] = .string(before.text)
            }
        } else {
            d["dst_larger"] = .int(maxDiffSize)
        }
        // Ansible looks at the size first, then for a NUL byte.
        if request.size > maxDiffSize {
            d["src_larger"] = .int(maxDiffSize)
        } else if request.content.contains(0) {
            d["src_binary"] = 1
        } else {
            d["after_header"] = .string(request.afterHeader)
            d["after"] = .string(request.content.text)
        }
        return .dict(d)
    }
}

extension FileWriter.Request {
    /// The new file's size.
    var size: Int { file?.size ?? content.count }
}
