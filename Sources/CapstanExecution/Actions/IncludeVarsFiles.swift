import CapstanBasics
import CapstanModules
import CapstanYAML
import Collections
import Foundation

/// The `dir` options of `include_vars` as given (checked: `depth` an int, `ignore_unknown_extensions` a bool).
struct DirectoryArguments: Sendable {
    var depth: Int
    var filesMatching: String?
    var ignoreFiles: [Value]
    var extensions: Value?
    var ignoreUnknownExtensions: Bool

    init(_ arguments: ModuleArguments) {
        if case .int(let n)? = arguments["depth"] { depth = n } else { depth = 0 }
        filesMatching = arguments.text("files_matching")
        ignoreFiles = arguments["ignore_files"].map { $0.listValue ?? [$0] } ?? []
        extensions = arguments["extensions"]
        ignoreUnknownExtensions = arguments.bool("ignore_unknown_extensions")
    }
}

/// The `dir` options of `include_vars`, ready to match file names.
struct DirectoryOptions {
    var depth = 0
    var filesMatching: NSRegularExpression?
    var ignoreFiles: [NSRegularExpression] = []
    var extensions = IncludeVarsAction.defaultExtensions
    var ignoreUnknownExtensions = false

    init(_ args: DirectoryArguments) throws {
        depth = args.depth
        if let pattern = args.filesMatching { filesMatching = try Self.regex(pattern) }
        ignoreFiles = try args.ignoreFiles.map { try Self.regex("(?:\($0.pythonString))$") }
        if let ext = args.extensions {
            guard let list = ext.listValue else {
                throw IncludeVarsAction.Failure(message: "Invalid type for \"extensions\" option, it must be a list")
            }
            extensions = list.map(\.pythonString)
        }
        ignoreUnknownExtensions = args.ignoreUnknownExtensions
    }

    private static func regex(_ pattern: String) throws -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            throw IncludeVarsAction.Failure(message: "Invalid regular expression: \(pattern)")
        }
    }

    func matches(_ regex: NSRegularExpression, _ name: String) -> Bool {
        regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }
}

/// Variables read so far and the files they came from, in reading order (later files win).
struct VarFiles {
    var variables = OrderedDictionary<String, Value>()
    var files: [String] = []

    /// Reads one file; its top level must be a mapping (an empty file is none). YAML errors keep
    /// their file:line:column.
    mutating func load(_ path: String, checkExtension extensions: [String]?) throws {
        if let extensions {
            let ext = (path as NSString).pathExtension
            guard extensions.contains(ext) else {
                throw IncludeVarsAction.Failure(
                    message: "\(path) does not have a valid extension: \(extensions.joined(separator: ", "))")
            }
        }
        var warnings: [Warning] = []
        let value = try YAMLLoader.value(contentsOf: path, warnings: &warnings)
        switch value {
        case .null: break
        case .dict(let d): for (k, v) in d { variables[k] = v }
        default: throw IncludeVarsAction.Failure(message: "\(path) must be stored as a dictionary/hash")
        }
        files.append(path)
    }

    /// Reads a directory as Ansible walks it: folders in sorted path order down to `depth` (0: all),
    /// files sorted by name in each, filtered by the options.
    mutating func loadDirectory(_ root: String, options: DirectoryOptions) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir) else {
            throw IncludeVarsAction.Failure(message: "\(root) directory does not exist")
        }
        guard isDir.boolValue else { throw IncludeVarsAction.Failure(message: "\(root) is not a directory") }
        var folders: [(path: String, depth: Int)] = [(root, 1)]
        var index = 0
        while index < folders.count {
            let (folder, depth) = folders[index]
            index += 1
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var sub: ObjCBool = false
                let path = "\(folder)/\(name)"
                if FileManager.default.fileExists(atPath: path, isDirectory: &sub), sub.boolValue {
                    folders.append((path, depth + 1))
                }
            }
        }
        for (folder, depth) in folders.sorted(by: { $0.path < $1.path })
        where options.depth == 0 || depth <= options.depth {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for name in names {
                let path = "\(folder)/\(name)"
                var sub: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &sub), !sub.boolValue else { continue }
                if let m = options.filesMatching, !options.matches(m, name) { continue }
                if options.ignoreFiles.contains(where: { options.matches($0, name) }) { continue }
                if options.ignoreUnknownExtensions && !options.extensions.contains((name as NSString).pathExtension) {
                    continue
                }
                try load(path, checkExtension: options.extensions)
            }
        }
    }
}
