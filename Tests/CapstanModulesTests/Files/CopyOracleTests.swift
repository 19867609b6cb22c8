import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics

/// Replays the copy corpus (Fixtures/files/copy-cases.json) with Capstan's copy module against what
/// Ansible's copy did through ansible-playbook (copy-expected.json, written by
/// Tests/oracles/copy-expected.py): check-mode prediction, changed, msg, node tree, second run.
@Suite struct CopyOracleTests {
    struct Case: Decodable {
        var name: String
        var setup: [[String]]
        var args: [String: FileOracleTests.Argument]
    }

    struct Expected: Decodable {
        var name: String
        var predicted: Bool
        var changed: Bool
        var failed: Bool
        var msg: String
        var tree: [String]
        var changed_again: Bool
    }

    static let cases: [(Case, Expected)] = Fixtures.casePairs("files/copy-cases.json", "files/copy-expected.json")

    /// The oracle's listing: backups (names with a PID and a time) as `NAME.BACKUP file`.
    static func tree(_ root: String) -> [String] {
        FileOracleTests.tree(root).map { line in
            let rel = String(line.prefix { $0 != " " })
            guard rel.contains("~") else { return line.replacingOccurrences(of: " links=1", with: "") }
            return "\(rel.prefix { $0 != "." }).BACKUP file"
        }.sorted()
    }

    /// Ansible 2.19 prefixes action failures with `Unexpected AnsibleActionFail error: ` and, without a
    /// role, lists the playbook folder twice in "Searched in"; Capstan says it once, unprefixed.
    static func normalized(_ msg: String) -> String {
        var text = msg
        let prefix = "Unexpected AnsibleActionFail error: "
        if text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        var seen = Set<String>()
        let lines = text.components(separatedBy: "\n").filter { line in
            guard line.hasPrefix("\t") else { return true }
            let path = line.components(separatedBy: " on the Ansible Controller.")[0]
            return seen.insert(path).inserted || line.contains(" on the Ansible Controller.")
        }
        var joined = lines.joined(separator: "\n")
        // The controller sentence follows the last path searched, which may have been a repeat.
        if let range = joined.range(of: "\n\t[^\n]* on the Ansible Controller\\.", options: .regularExpression),
            let path = joined[range].dropFirst(2).components(separatedBy: " on the Ansible Controller.").first,
            joined.components(separatedBy: "\t\(path)").count > 2
        {
            joined.removeSubrange(range)
            joined = joined.replacingOccurrences(of: "\t\(path)", with: "\t\(path) on the Ansible Controller.")
        }
        return joined
    }

    @Test func corpusIsAligned() {
        #expect(Self.cases.count >= 20)
        #expect(Self.cases.allSatisfy { $0.0.name == $0.1.name })
    }

    func run(_ box: FileSandbox, _ args: OrderedDictionary<String, Value>, ctl: String, check: Bool = false)
        async throws -> (changed: Bool, failed: Bool, msg: String)
    {
        do {
            let outcome = try await box.run("copy", args, check: check, searchPaths: [ctl])
            return (outcome.changed, outcome.failed, outcome.msg)
        } catch let error as ModuleArgumentError {
            return (false, true, error.message)
        }
    }

    @Test(arguments: CopyOracleTests.cases.map(\.0.name))
    func caseMatchesAnsible(_ name: String) async throws {
        let (c, expected) = Self.cases.first { $0.0.name == name }!
        let box = try FileSandbox()
        let root = box.path("root")
        let ctl = box.path("ctl")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: ctl, withIntermediateDirectories: true)
        for step in c.setup {
            let path = (step[0].hasPrefix("ctl") ? ctl : root) + "/" + step[1]
            switch step[0] {
            case "file", "ctl":
                try fm.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(step[2].utf8).write(to: URL(fileURLWithPath: path))
            case "dir": try fm.createDirectory(atPath: path, withIntermediateDirectories: false)
            case "link": try fm.createSymbolicLink(atPath: path, withDestinationPath: step[2])
            default: chmod(path, mode_t(step[2], radix: 8)!)
            }
        }
        var args: OrderedDictionary<String, Value> = [:]
        for key in c.args.keys.sorted() {
            var value = c.args[key]!.value(root: root)
            if case .string(let s) = value { value = .string(s.replacingOccurrences(of: "{ctl}", with: ctl)) }
            args[key] = value
        }
        let msg = Self.normalized(expected.msg).replacingOccurrences(of: "{root}", with: root)
            .replacingOccurrences(of: "{ctl}", with: ctl)

        let before = Self.tree(root)
        let predicted = try await run(box, args, ctl: ctl, check: true)
        #expect(Self.tree(root) == before, "check mode touched the tree")
        #expect(predicted.changed == expected.predicted, "check mode")

        let result = try await run(box, args, ctl: ctl)
        #expect(box.connection.roundTrips <= 3)
        #expect(result.changed == expected.changed)
        #expect(result.failed == expected.failed)
        #expect(result.msg == msg)
        #expect(Self.tree(root) == expected.tree)
        let again = try await run(box, args, ctl: ctl)
        #expect(again.changed == expected.changed_again, "second run")
    }
}
