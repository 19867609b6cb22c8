import Collections
import Foundation

/// `copy`: puts a controller file, a directory tree, inline `content`, or (`remote_src`) a node
/// file at `dest`, comparing SHA-1 checksums so that an unchanged file is not sent again.
/// Single files go through `FileWriter` (two commands; a file of 1 MiB or more is checksummed and sent
/// a chunk at a time, never held in memory), trees through `CopyTree` (two commands),
/// node-side copies through `RemoteCopy` (two commands).
public struct CopyModule: Module {
    public static let name = "copy"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("src", .path), ArgumentDefinition("content", .raw),
            ArgumentDefinition("dest", .path, required: true), ArgumentDefinition("backup", .bool, default: false),
            ArgumentDefinition("force", .bool, aliases: ["thirsty"], default: true), ArgumentDefinition("validate"),
            ArgumentDefinition("directory_mode", .raw), ArgumentDefinition("remote_src", .bool, default: false),
            ArgumentDefinition("local_follow", .bool, default: true), ArgumentDefinition("checksum"),
            ArgumentDefinition("decrypt", .bool, default: true), ArgumentDefinition("follow", .bool, default: false),
        ] + FileAttributesSpec.arguments,
        mutuallyExclusive: [["content", "src"]])

    let arguments: ModuleArguments
    let attributes: FileAttributesSpec
    let preserveMode: Bool
    let directoryMode: FileMode?

    public init(arguments: ModuleArguments) throws {
        self.arguments = arguments
        preserveMode = arguments.string("mode") == "preserve"
        if preserveMode {
            attributes = FileAttributesSpec(
                mode: nil, owner: arguments.string("owner"), group: arguments.string("group"))
        } else {
            attributes = try FileAttributesSpec(arguments: arguments, module: Self.name)
        }
        do {
            directoryMode = try arguments["directory_mode"].flatMap { $0 == .null ? nil : try FileMode.parse($0) }
        } catch {
            throw ModuleArgumentError(module: Self.name, message: "\(error)")
        }
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let dest = arguments.string("dest") ?? ""
        var request = FileWriter.Request(
            content: [], dest: dest, attributes: attributes, directoryMode: directoryMode,
            backup: arguments.bool("backup"), validate: arguments.string("validate"), force: arguments.bool("force"),
            afterHeader: dest)
        request.follow = arguments.bool("follow")
        if let content = arguments["content"], content != .null {
            if dest.hasSuffix("/") { return .failed("can not use content with a dir as dest") }
            if preserveMode { return .failed("mode=preserve is not supported with content") }
            // Ansible writes non-string content as JSON (a dict or list from YAML).
            if case .string(let text) = content {
                request.content = Array(text.utf8)
            } else {
                request.content = Array(content.json().utf8)
            }
            return try await FileWriter.write(request, in: context)
        }
        guard let src = arguments.string("src"), !src.isEmpty else { return .failed("src (or content) is required") }
        if arguments.bool("remote_src") {
            return try await RemoteCopy(src: src, request: request, preserveMode: preserveMode).run(in: context)
        }
        guard let local = Self.locate(src, in: context.searchPaths) else {
            return .failed(Self.notFoundMessage(src, searchPaths: context.searchPaths))
        }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            let tree = CopyTree(
                source: local, copyContentsOnly: src.hasSuffix("/"), request: request, preserveMode: preserveMode)
            return try await tree.run(in: context)
        }
        let checksum: String
        if let size = Self.fileSize(local), size >= LocalFile.streamingThreshold {
            // Large files are checksummed and sent a chunk at a time, never held in memory.
            guard let file = try? LocalFile(path: local) else {
                return .failed("Could not find or access '\(src)' on the Ansible Controller.")
            }
            request.file = file
            checksum = file.sha1
        } else {
            guard let data = FileManager.default.contents(atPath: local) else {
                return .failed("Could not find or access '\(src)' on the Ansible Controller.")
            }
            request.content = Array(data)
            checksum = Checksum.sha1Hex(request.content)
        }
        if let expected = arguments.string("checksum"), !expected.isEmpty, expected != checksum {
            return .failed("Copied file does not match the expected checksum. Transfer failed.")
        }
        request.afterHeader = local
        let name = (local as NSString).lastPathComponent
        request.nameInDirectory = name
        if dest.hasSuffix("/") {
            request.dest = dest + name
            request.createParents = true
        }
        if preserveMode { request.attributes.mode = Self.localMode(local) }
        var outcome = try await FileWriter.write(request, in: context)
        if outcome.status != .failed { outcome.fields["src"] = .string(local) }
        return outcome
    }

    /// Where Ansible's `find_needle('files', src)` finds a relative `src`: `<dir>/files/<src>`,
    /// then `<dir>/<src>`, for each search folder in order.
    static func locate(_ src: String, in searchPaths: [String]) -> String? {
        if src.hasPrefix("/") { return FileManager.default.fileExists(atPath: src) ? src : nil }
        return candidates(src, searchPaths).first { FileManager.default.fileExists(atPath: $0) }
    }

    static func candidates(_ src: String, _ searchPaths: [String]) -> [String] {
        searchPaths.flatMap { ["\($0)/files/\(src)", "\($0)/\(src)"] }
    }

    static func notFoundMessage(_ src: String, searchPaths: [String]) -> String {
        let searched = src.hasPrefix("/") ? [src] : candidates(src, searchPaths)
        return "Could not find or access '\(src)'\nSearched in:\n" + searched.map { "\t\($0)" }.joined(separator: "\n")
            + " on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, "
            + "see the remote_src option"
    }

    /// A controller file's size (symlinks followed), nil when it cannot be read.
    static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// A controller file's permission bits, for `mode: preserve`.
    static func localMode(_ path: String) -> FileMode? {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
            let perms = attrs[.posixPermissions] as? Int
        else { return nil }
        return .absolute(UInt32(perms))
    }
}
