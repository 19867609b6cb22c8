import CapstanBasics
import CapstanTransport
import Collections

/// `~` and `~user` at the start of a module's `path` arguments (`file: path=~/x`, `copy: dest=~/y`),
/// expanded on the node as Ansible's modules expand them with `os.path.expanduser`: `~` is the home
/// of the user the module runs as (the become user's under `become`), `~name` that user's, and an
/// unknown user's stays as written. One remote command answers every prefix of a task.
public struct TildePaths: Sendable {
    /// The prefixes to ask the node about (`~`, `~deploy`), each once, in first-use order.
    public let prefixes: [String]
    private let arguments: OrderedDictionary<String, Value>
    private let spec: ArgumentSpec?

    /// Paths read on the controller, by module (short name): Ansible expands their `~` there.
    static let controllerPaths: [String: Set<String>] = [
        "copy": ["src"], "template": ["src"], "unarchive": ["src"], "fetch": ["dest"],
    ]

    /// Finds the prefixes in `arguments` (as the task wrote them, aliases included) that the spec of
    /// `module` (its short name) declares as paths or lists of paths read on the node.
    public init(module: String, arguments: OrderedDictionary<String, Value>, spec: ArgumentSpec?) {
        let onController = Self.controllerPaths[module] ?? []
        self.arguments = arguments
        self.spec = spec.map { spec in
            var spec = spec
            spec.arguments.removeAll { onController.contains($0.name) }
            return spec
        }
        var found: [String] = []
        for (key, value) in arguments {
            for text in Self.pathTexts(value, definition: spec.flatMap { Self.definition(key, in: $0) }) {
                if let prefix = Self.prefix(of: text), !found.contains(prefix) { found.append(prefix) }
            }
        }
        prefixes = found
    }

    /// Whether no argument needs the node's answer.
    public var isEmpty: Bool { prefixes.isEmpty }

    /// The arguments with every prefix replaced by the home the node reports for it.
    public func expanded(on connection: any Connection, options: CommandOptions) async throws
        -> OrderedDictionary<String, Value>
    {
        guard !prefixes.isEmpty else { return arguments }
        // The prefixes are checked words (`~` and a user name's characters): the shell expands them.
        let result = try await connection.run("printf '%s\\n' " + prefixes.joined(separator: " "), options: options)
        let homes = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard result.succeeded, homes.count >= prefixes.count else { return arguments }
        let home = Dictionary(uniqueKeysWithValues: zip(prefixes, homes.prefix(prefixes.count)))
        var out = arguments
        for (key, value) in arguments {
            let definition = spec.flatMap { Self.definition(key, in: $0) }
            guard !Self.pathTexts(value, definition: definition).isEmpty else { continue }
            out[key] = Self.replacing(value, home)
        }
        return out
    }

    private static func definition(_ key: String, in spec: ArgumentSpec) -> ArgumentDefinition? {
        spec.arguments.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// The texts of a value that are paths by its definition.
    private static func pathTexts(_ value: Value, definition: ArgumentDefinition?) -> [String] {
        guard let definition else { return [] }
        switch (definition.kind, value) {
        case (.path, .string(let s)): return [s]
        case (.list, .list(let items)) where definition.elements.map(isPath) == true:
            return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        default: return []
        }
    }

    private static func isPath(_ kind: ArgumentDefinition.Kind) -> Bool {
        if case .path = kind { return true }
        return false
    }

    /// `~` or `~name` when `text` starts with one followed by `/` or nothing.
    static func prefix(of text: String) -> String? {
        guard text.hasPrefix("~") else { return nil }
        let head = text.prefix { $0 != "/" }
        let name = head.dropFirst()
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        guard allowed, !name.hasPrefix("-") else { return nil }
        return String(head)
    }

    private static func replacing(_ value: Value, _ home: [String: String]) -> Value {
        switch value {
        case .string(let s):
            guard let p = prefix(of: s), let h = home[p], !h.hasPrefix("~") else { return value }
            return .string(h + s.dropFirst(p.count))
        case .list(let items): return .list(items.map { replacing($0, home) })
        default: return value
        }
    }
}
