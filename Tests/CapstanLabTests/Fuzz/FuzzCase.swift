import CapstanTestSupport
import Foundation

/// What a fuzz case exercises, and so which command runs it.
enum FuzzKind: String, CaseIterable, Sendable {
    /// `capstan inventory --list -i inventory.EXT`
    case inventory
    /// `capstan play --syntax-check book.yml`
    case syntax
    /// `capstan play --list-tasks book.yml`
    case tasks
    /// `capstan play book.yml`, a local play whose `template` task renders `template.j2`.
    case template
    /// `capstan play book.yml` run for real on localhost: for committed regressions only (a mutated
    /// playbook could run any command), such as an `include_tasks` of itself.
    case play

    /// The kinds generated cases rotate through.
    static let generated: [FuzzKind] = [.inventory, .syntax, .tasks, .template]

    /// The corpus folder its seeds come from.
    var corpusFolder: String {
        switch self {
        case .inventory: return "inventory"
        case .syntax, .tasks, .play: return "playbook"
        case .template: return "template"
        }
    }
}

/// One input: the files to write in a fresh folder and the command to run on them.
struct FuzzCase {
    var kind: FuzzKind
    /// The file the command reads (`inventory.ini`, `book.yml`, `template.j2`), relative to the folder.
    var mainFile: String
    /// Every file of the case, by relative path; the main file among them.
    var files: [String: [UInt8]]
    /// Symbolic links of the case (relative path → target), for inputs that reach themselves.
    var links: [String: String] = [:]

    /// Variables the template corpus uses (the templating tests' own), so that renders get past names.
    static let templateVariables = Fixtures.packageRoot.appendingPathComponent("Tests/fuzz/template-vars.json").path

    /// The play that renders a template case: local, no facts, one `template` task.
    static func templateBook(folder: String) -> String {
        """
        - hosts: localhost
          connection: local
          gather_facts: false
          vars_files: ["\(templateVariables)"]
          tasks:
            - template:
                src: "\(folder)/template.j2"
                dest: "\(folder)/out.txt"

        """
    }

    /// The inventory of plays that run: localhost over a local connection, never SSH.
    static let localInventory = "_localhost.ini"

    /// The `capstan` arguments for this case written in `folder`.
    func arguments(in folder: String) -> [String] {
        let main = folder + "/" + mainFile
        switch kind {
        case .inventory: return ["inventory", "--list", "-i", main]
        case .syntax: return ["play", "--no-journal", "-i", "localhost,", "--syntax-check", main]
        case .tasks: return ["play", "--no-journal", "-i", "localhost,", "--list-tasks", main]
        case .template, .play:
            return [
                "play", "--no-journal", "-i", folder + "/" + Self.localInventory, "--forks", "1", folder + "/book.yml",
            ]
        }
    }

    /// Writes the case into `folder` (with the template's play when the case has none of its own).
    func write(to folder: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let path = folder + "/" + name
            try fm.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        for (name, target) in links {
            try fm.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: target)
        }
        if kind == .template || kind == .play {
            try "localhost ansible_connection=local\n".write(
                toFile: folder + "/" + Self.localInventory, atomically: true, encoding: .utf8)
        }
        if kind == .template, files["book.yml"] == nil {
            try Self.templateBook(folder: folder).write(toFile: folder + "/book.yml", atomically: true, encoding: .utf8)
        }
    }

    /// A case from a committed regression: a file `KIND-NAME.EXT`, or a folder `KIND-NAME/` holding
    /// the main file (`inventory.*`, `book.yml` or `template.j2`) and whatever it includes.
    static func regression(at url: URL) throws -> FuzzCase? {
        let name = url.lastPathComponent
        guard let dash = name.firstIndex(of: "-"), let kind = FuzzKind(rawValue: String(name[..<dash])) else {
            return nil
        }
        var isDirectory: ObjCBool = false
        FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if !isDirectory.boolValue {
            let ext = url.pathExtension
            let main = Self.mainFile(kind, ext: ext.isEmpty ? "ini" : ext)
            return FuzzCase(kind: kind, mainFile: main, files: [main: Array(try Data(contentsOf: url))])
        }
        var files: [String: [UInt8]] = [:]
        var links: [String: String] = [:]
        try collect(url.path, "", into: &files, links: &links)
        let main =
            files.keys.sorted().first {
                switch kind {
                case .inventory: return $0.hasPrefix("inventory.")
                case .syntax, .tasks, .play: return $0 == "book.yml"
                case .template: return $0 == "template.j2"
                }
            } ?? ""
        return FuzzCase(kind: kind, mainFile: main, files: files, links: links)
    }

    /// Reads a regression folder without following its symbolic links (some point at their own folder).
    private static func collect(
        _ root: String, _ relative: String, into files: inout [String: [UInt8]], links: inout [String: String]
    ) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: root + "/" + relative) {
            let entry = relative.isEmpty ? name : relative + "/" + name
            let path = root + "/" + entry
            switch try fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType {
            case .typeSymbolicLink?: links[entry] = try fm.destinationOfSymbolicLink(atPath: path)
            case .typeDirectory?: try collect(root, entry, into: &files, links: &links)
            default: files[entry] = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
    }

    /// The main file's name for a kind (inventories keep their seed's extension: it picks the parser).
    static func mainFile(_ kind: FuzzKind, ext: String) -> String {
        switch kind {
        case .inventory: return "inventory." + ext
        case .syntax, .tasks, .play: return "book.yml"
        case .template: return "template.j2"
        }
    }
}
