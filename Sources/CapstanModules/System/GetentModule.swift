import CapstanBasics
import CapstanTransport
import Collections
import Foundation

/// `getent` (ansible.builtin): one `getent DATABASE [KEY] [-s SERVICE]` on the node, its lines
/// shaped into the fact `getent_<database>` as Ansible's module shapes them (first field the key,
/// the rest a list; a key seen again becomes a list of such lists). Reads only, so check mode runs it.
public struct GetentModule: Module {
    public static let name = "getent"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("database", required: true), ArgumentDefinition("key"),
        ArgumentDefinition("service"), ArgumentDefinition("split"),
        ArgumentDefinition("fail_key", .bool, default: true),
    ])

    /// The databases whose lines Ansible splits at `:` when no `split` is given.
    static let colonDatabases: Set<String> = ["passwd", "shadow", "group", "gshadow"]

    let database: String
    let key: String?
    let service: String?
    let split: String?
    let failKey: Bool

    public init(arguments: ModuleArguments) throws {
        database = arguments.string("database") ?? ""
        key = arguments.string("key")
        service = arguments.string("service")
        let given = arguments.string("split")
        split = given ?? (Self.colonDatabases.contains(database) ? ":" : nil)
        failKey = arguments.bool("fail_key")
        if split == "" { throw ModuleArgumentError(module: Self.name, message: "empty separator") }
    }

    /// The command line: the key and service are single words, quoted.
    var command: String {
        var words = ["getent", database]
        if let key { words.append(key) }
        if let service { words += ["-s", service] }
        return words.map(ShellWords.quote).joined(separator: " ")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let result = try await context.connection.run(command, options: context.commandOptions)
        let fact = "getent_" + database
        switch result.exitStatus ?? -1 {
        case 0:
            return ModuleOutcome(
                status: .ok, fields: ["ansible_facts": [fact: .dict(Self.records(result.stdoutText, split: split))]])
        case 1: return .failed("Missing arguments, or database unknown.")
        case 2:
            let msg = "One or more supplied key could not be found in the database."
            if !failKey {
                return ModuleOutcome(
                    status: .ok, fields: ["ansible_facts": [fact: [key ?? "None": .null]], "msg": .string(msg)])
            }
            return .failed(msg)
        case 3: return .failed("Enumeration not supported on this database.")
        case 127: return .failed("Failed to find required executable \"getent\"")
        default: return .failed("Unexpected failure!")
        }
    }

    /// Ansible's loop over `out.splitlines()`: each line split (at `split`, or at runs of whitespace
    /// when nil, as Python's `str.split()`), the first field the key.
    static func records(_ output: String, split: String?) -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        var seen: [String: Int] = [:]
        for line in pythonLines(output) {
            let fields =
                split.map { line.components(separatedBy: $0) }
                ?? line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = fields.first else { continue }
            let rest = Value.list(fields.dropFirst().map(Value.string))
            switch seen[first] {
            case nil:
                out[first] = rest
                seen[first] = 1
            case 1?:
                out[first] = .list([out[first] ?? .null, rest])
                seen[first] = 2
            case let n?:
                if case .list(var items)? = out[first] { items.append(rest); out[first] = .list(items) }
                seen[first] = n + 1
            }
        }
        return out
    }

    /// Python's `str.splitlines()`: breaks at `\n`, `\r`, `\r\n` and the other line boundaries.
    static func pythonLines(_ text: String) -> [String] {
        let breaks: Set<Unicode.Scalar> = [
            "\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1D}", "\u{1E}", "\u{85}", "\u{2028}", "\u{2029}",
        ]
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            if breaks.contains(scalar) {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}
