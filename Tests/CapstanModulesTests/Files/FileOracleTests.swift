import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// Replays the `file` corpus (Fixtures/files/file-cases.json) with Capstan's file module against
/// what Ansible's own module did (file-expected.json, written by Tests/oracles/file-expected.py):
/// changed, failed, msg, the tree afterwards, and a second run.
@Suite struct FileOracleTests {
    struct Case: Decodable {
        var name: String
        var setup: [[String]]
        var args: [String: Argument]
    }

    struct Expected: Decodable {
        var name: String
        var changed: Bool
        var failed: Bool
        var msg: String
        var tree: [String]
        var changed_again: Bool
    }

    /// The corpus's argument values: strings, booleans, ints.
    enum Argument: Decodable {
        case string(String)
        case bool(Bool)
        case int(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int.self) {
                self = .int(i)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
        func value(root: String) -> Value {
            switch self {
            case .string(let s): return .string(s.replacingOccurrences(of: "{root}", with: root))
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            }
        }
    }

    static let cases: [(Case, Expected)] = Fixtures.casePairs("files/file-cases.json", "files/file-expected.json")

    /// The same listing the oracle writes: path, type, mode or link target, link count, content.
    static func tree(_ root: String) -> [String] {
        let fm = FileManager.default
        var lines: [String] = []
        for case let rel as String in fm.enumerator(atPath: root) ?? FileManager.DirectoryEnumerator() {
            let full = root + "/" + rel
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            let mode = String(format: "%04o", Int(st.st_mode) & 0o7777)
            switch Int(st.st_mode) & Int(S_IFMT) {
            case Int(S_IFLNK):
                let text = (try? fm.destinationOfSymbolicLink(atPath: full)) ?? ""
                lines.append("\(rel) link \(text.replacingOccurrences(of: root, with: "{root}"))")
            case Int(S_IFDIR): lines.append("\(rel) dir \(mode)")
            default:
                let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? ""
                // Python's repr of simple text: backslashes and newlines escaped.
                let shown = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "\n", with: "\\n")
                lines.append("\(rel) file \(mode) links=\(st.st_nlink) '\(shown)'")
            }
        }
        return lines.sorted()
    }

    @Test func corpusIsAligned() {
        #expect(Self.cases.count >= 30)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    func run(_ box: FileSandbox, _ args: OrderedDictionary<String, Value>, check: Bool = false) async throws -> (
        changed: Bool, failed: Bool, msg: String
    ) {
        do {
            let outcome = try await box.run("file", args, check: check)
            return (outcome.changed, outcome.failed, outcome.msg)
        } catch let error as ModuleArgumentError {
            return (false, true, error.message)
        }
    }

    @Test(arguments: FileOracleTests.cases.map(\.0.name))
    func caseMatchesAnsible(_ name: String) async throws {
        let (c, expected) = Self.cases.first { $0.0.name == name }!
        let box = try FileSandbox()
        let root = box.path("root")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        for step in c.setup {
            let path = root + "/" + step[1]
            switch step[0] {
            case "file": try Data(step[2].utf8).write(to: URL(fileURLWithPath: path))
            case "dir": try fm.createDirectory(atPath: path, withIntermediateDirectories: false)
            case "link": try fm.createSymbolicLink(atPath: path, withDestinationPath: step[2])
            default: chmod(path, mode_t(step[2], radix: 8)!)
            }
        }
        var args: OrderedDictionary<String, Value> = [:]
        for key in c.args.keys.sorted() { args[key] = c.args[key]!.value(root: root) }

        let before = Self.tree(root)
        let predicted = try await run(box, args, check: true)
        #expect(Self.tree(root) == before, "check mode touched the tree")
        #expect(predicted.changed == expected.changed, "check mode")

        let result = try await run(box, args)
        #expect(box.connection.roundTrips <= 2)
        #expect(result.changed == expected.changed)
        #expect(result.failed == expected.failed)
        #expect(result.msg == expected.msg.replacingOccurrences(of: "{root}", with: root))
        #expect(Self.tree(root) == expected.tree)
        let again = try await run(box, args)
        #expect(again.changed == expected.changed_again, "second run")
    }
}
