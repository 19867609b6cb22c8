import CapstanBasics
import Collections
import Foundation

/// `copy` of a controller directory: one command checks the SHA-1 and stat of every target file,
/// one more writes only the changed files (their bytes one after another on stdin) and fixes the
/// attributes of the others. `src: dir` lands in `dest/dir/`, `src: dir/` puts the contents in `dest/`.
/// Checksums are computed a chunk at a time and a file's bytes are read only when it is sent; large
/// files, and any file past `inlineLimit` bytes of input, are uploaded on their own first
/// (`StreamedUpload`), so memory stays bounded whatever the tree's size.
struct CopyTree {
    var source: String
    var copyContentsOnly: Bool
    var request: FileWriter.Request
    var preserveMode: Bool

    /// The most input the write command carries; files beyond it are uploaded on their own.
    static let inlineLimit = 16 << 20

    /// One controller file to copy: its path below the source, size and checksum.
    struct Entry {
        var relative: String
        var file: LocalFile
        var localMode: FileMode?
    }

    /// The regular files below `source` (symlinks followed, as `local_follow: true`), sorted.
    func entries() -> [Entry] {
        let fm = FileManager.default
        let paths = (fm.enumerator(atPath: source)?.allObjects as? [String]) ?? []
        return paths.sorted().compactMap { relative in
            let full = source + "/" + relative
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let file = try? LocalFile(path: full)
            else { return nil }
            return Entry(relative: relative, file: file, localMode: preserveMode ? CopyModule.localMode(full) : nil)
        }
    }

    /// The folders below `source` (Ansible creates empty ones too), sorted so parents come first.
    func directories() -> [String] {
        let fm = FileManager.default
        let paths = (fm.enumerator(atPath: source)?.allObjects as? [String]) ?? []
        return paths.sorted().filter { relative in
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: source + "/" + relative, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The directory on the node the files go into.
    var targetRoot: String {
        let dest =
            request.dest.hasSuffix("/") && request.dest.count > 1 ? String(request.dest.dropLast()) : request.dest
        return copyContentsOnly ? dest : dest + "/" + (source as NSString).lastPathComponent
    }

    func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let files = entries()
        let root = targetRoot
        let folders = [""] + directories()
        var probe = FileShell.prelude + FileShell.identity
        for folder in folders {
            probe += "if [ -d \(ShellWords.quote(root + "/" + folder)) ]; then echo 'G 1'; else echo 'G 0'; fi\n"
        }
        for file in files {
            probe +=
                "f=\(ShellWords.quote(root + "/" + file.relative)); if [ -f \"$f\" ]; then "
                + "printf 'F %s|%s\\n' \"$(sha1sum < \"$f\" | cut -d' ' -f1)\" \"$(stat -c '\(RemoteFileState.statFormat)' -- \"$f\")\"; "
                + "elif [ -e \"$f\" ]; then echo 'F !'; else echo 'F -'; fi\n"
        }
        let probed = FileReport(try await context.connection.run(probe, options: context.commandOptions).stdout)
        let answers = probed.all("F")
        guard answers.count == files.count else { return .failed("could not inspect \(root) on the node") }
        var folderProgram = ""
        var program = ""
        var stdin: [UInt8] = []
        var changed = false
        for (folder, exists) in zip(folders, probed.all("G")) where exists == "0" {
            changed = true
            folderProgram += ParentDirectories.create(
                ShellWords.quote(root + "/" + folder), mode: request.directoryMode, owner: request.attributes.owner,
                group: request.attributes.group, umask: probed.umask)
        }
        for (file, answer) in zip(files, answers) {
            if answer == "!" { return .failed("Destination \(root)/\(file.relative) is not a regular file") }
            let parts = answer.split(separator: "|", maxSplits: 1).map(String.init)
            let state = parts.count == 2 ? RemoteFileState(statLine: parts[1]) : nil
            var attributes = request.attributes
            if let mode = file.localMode { attributes.mode = mode }
            let changes = attributes.changes(
                for: state ?? probed.creatorState(isDirectory: false), isDirectory: false, umask: probed.umask)
            let contentChanged = parts.first != file.file.sha1
            if state != nil && contentChanged && !request.force { continue }
            guard contentChanged || !changes.isEmpty else { continue }
            changed = true
            program += "p=\(ShellWords.quote(root + "/" + file.relative))\n"
            if contentChanged {
                if state == nil {
                    program += ParentDirectories.create(
                        mode: request.directoryMode, owner: request.attributes.owner, group: request.attributes.group,
                        umask: probed.umask)
                }
                if context.checkMode { continue }
                if file.file.size >= LocalFile.streamingThreshold || stdin.count + file.file.size > Self.inlineLimit {
                    // Sent now, on its own; its folders must exist first.
                    if !folderProgram.isEmpty {
                        let made = try await context.connection.run(
                            FileShell.prelude + folderProgram + "echo 'O done'\n", options: context.commandOptions)
                        guard FileReport(made.stdout).first("O") != nil else {
                            return .failed("could not create folders in \(root): \(made.stderrText)")
                        }
                        folderProgram = ""
                    }
                    let sent: String
                    do {
                        sent = try await StreamedUpload.send(file.file, beside: root + "/" + file.relative, in: context)
                    } catch let failed as StreamedUpload.Failed {
                        return failed.outcome
                    }
                    program += FileShell.atomicWrite(.uploaded(path: sent), validate: nil, backup: request.backup)
                } else {
                    guard let bytes = FileManager.default.contents(atPath: file.file.path),
                        bytes.count == file.file.size
                    else { return .failed("Could not read \(file.file.path) on the controller") }
                    program += FileShell.atomicWrite(
                        .stdin(byteCount: bytes.count), validate: nil, backup: request.backup)
                    stdin += bytes
                }
            }
            program += changes.shell("\"$p\"")
        }
        let fields: OrderedDictionary<String, Value> = ["dest": .string(request.dest), "src": .string(source)]
        if !changed || context.checkMode { return ModuleOutcome(status: changed ? .changed : .ok, fields: fields) }
        var options = context.commandOptions
        options.stdin = stdin
        let result = try await context.connection.run(
            FileShell.prelude + folderProgram + program + "echo 'O done'\n", options: options)
        let report = FileReport(result.stdout)
        if let error = report.error { return .failed(FileShell.withReason(error, stderr: result.stderrText), fields) }
        guard report.first("O") != nil else {
            return .failed("could not copy to \(root): \(result.stderrText)", fields)
        }
        return ModuleOutcome(status: .changed, fields: fields)
    }
}
