import CapstanBasics

/// A text file on the node edited in at most two round trips: one program reads it (stat + bytes),
/// Swift computes the new content, and one more program writes it back (validate, backup, rename,
/// mode/owner) only when something changes. `lineinfile`, `blockinfile` and `replace` use it.
struct RemoteTextFile: Sendable {
    /// The path as the task gave it.
    var path: String
    /// The node's answer: whether the path is a directory, its stat, its bytes.
    var isDirectory = false
    var exists = false
    /// The file's stat; read only when asked for (attributes to compare), as it costs a process.
    var state: RemoteFileState?
    var content: [UInt8]?
    var umask: UInt32 = 0o022
    /// What a new file would look like (owner, default mode), when the file is missing.
    var creatorState: RemoteFileState?
    /// Set when the file exists but could not be read.
    var readError: String?

    /// Reads the file (following symlinks, as Python's `open` does) in one command; `statted` adds its
    /// stat (and, for a missing file, who would own it), which only attribute arguments need.
    static func read(_ path: String, statted: Bool, in context: ModuleContext) async throws -> RemoteTextFile {
        let program =
            FileShell.prelude + RemoteProgram.assignments(["p": path, "statted": RemoteProgram.flag(statted)])
            + NodePrograms.readTextFile
        let result = try await context.connection.run(program, options: context.commandOptions)
        let report = FileReport(result.stdout)
        var file = RemoteTextFile(path: path)
        file.isDirectory = report.first("T") == "directory"
        file.state = report.state
        file.exists = report.state != nil || report.first("X") != nil
        file.content = report.content
        file.umask = report.umask
        file.creatorState = report.creatorState(isDirectory: false)
        if let e = report.error { file.readError = "Unable to read the contents of \(path): \(e)" }
        return file
    }

    /// The outcome of writing back.
    struct WriteResult: Sendable {
        /// Whether mode or ownership changed (or would, in check mode).
        var attributesChanged = false
        var attributeDiff: AttributeChanges
        var backupFile: String?
        var failure: String?
        var finalState: RemoteFileState?
    }

    /// Writes `newContent` (nil: content unchanged) and applies `attributes` in one command, or in
    /// check mode only predicts the attribute change. Symlinks are followed (the real file changes)
    /// unless `followLinks` is false: then a symlink is replaced by the file, as Python's rename does.
    func write(
        _ newContent: [UInt8]?, attributes: FileAttributesSpec, backup: Bool, validate: String?,
        followLinks: Bool = true, in context: ModuleContext
    ) async throws -> WriteResult {
        let changes = attributes.changes(for: state ?? creatorState, isDirectory: false, umask: umask)
        var outcome = WriteResult(attributesChanged: !changes.isEmpty, attributeDiff: changes)
        if context.checkMode || (newContent == nil && changes.isEmpty) { return outcome }
        var program = FileShell.prelude + "p=\(ShellWords.quote(path))\n"
        if followLinks { program += "if [ -L \"$p\" ]; then p=$(readlink -f -- \"$p\"); fi\n" }
        var options = context.commandOptions
        if let newContent {
            if !exists {
                program +=
                    "dn \"$p\"; mkdir -p -- \"$dn\" || { echo 'E could not create the parent directory'; exit 0; }\n"
            }
            program += FileShell.atomicWrite(.stdin(byteCount: newContent.count), validate: validate, backup: backup)
            options.stdin = newContent
        }
        program += changes.shell("\"$p\"")
        program += "stl \"$p\"\n"
        let result = try await context.connection.run(program, options: options)
        let report = FileReport(result.stdout)
        outcome.backupFile = report.first("B")
        outcome.failure = FileShell.validationFailure(report) ?? report.error
        if outcome.failure == nil && !result.succeeded {
            outcome.failure = "could not write \(path): \(result.stderrText)"
        }
        outcome.finalState = report.state
        return outcome
    }

    /// The file's lines as Python's `readlines()` on bytes gives them: split after each `\n`.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }
}

extension Array where Element == UInt8 {
    /// The bytes without trailing `\r` and `\n` (Python's `rstrip(b'\r\n')`).
    var strippingLineEnd: [UInt8] {
        var end = count
        while end > 0, self[end - 1] == 0x0A || self[end - 1] == 0x0D { end -= 1 }
        return Array(self[..<end])
    }

    /// The bytes as UTF-8 text (invalid sequences replaced).
    var text: String { String(decoding: self, as: UTF8.self) }
}
