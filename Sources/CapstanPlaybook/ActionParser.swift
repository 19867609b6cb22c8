import CapstanBasics
import CapstanYAML
import Collections

/// Finds a task's action and arguments the way Ansible's `ModuleArgsParser` does: `action:` and
/// `local_action:` first, then the one key that is neither a keyword nor `with_*`.
struct ActionParser {
    /// What was found.
    struct Found {
        var action: String
        var written: String
        var arguments: OrderedDictionary<String, Value>
        var isLocal: Bool
        /// `action:` names nothing known; the task fails when it runs.
        var isUnresolved = false
    }

    let reader: NodeReader
    let modules: ModuleNames
    /// Where a role's or the playbook's own modules live (`library/`), for names Capstan lacks.
    var libraryFolders: [String] = []
    /// Where installed collections are (each holding `ansible_collections/`).
    var collectionFolders: [String] = []

    /// Reads the action out of a task's pairs; `keywords` are the names that are not actions here.
    func parse(
        _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], keywords: Set<String>, task: YAMLNode
    ) throws -> Found {
        var found: Found?
        var firstUnknown: (String, YAMLNode)?
        let argsNode = pairs.first { $0.key == "args" }?.value
        for pair in pairs where pair.key == "action" || pair.key == "local_action" {
            if let found {
                throw InputError("conflicting action statements: \(found.written), \(pair.key)", at: task.location)
            }
            found = try actionKeyword(pair.value, isLocal: pair.key == "local_action", args: argsNode)
        }
        for pair in pairs where !keywords.contains(pair.key) && !pair.key.hasPrefix("with_") {
            guard let short = modules.canonical(pair.key) ?? fallback(pair.key)
            else {
                if firstUnknown == nil { firstUnknown = (pair.key, pair.keyNode) }
                continue
            }
            if let found {
                throw InputError("conflicting action statements: \(found.written), \(pair.key)", at: task.location)
            }
            let args = try arguments(pair.value, action: short, extra: argsNode, task: task)
            found = Found(action: short, written: pair.key, arguments: args, isLocal: false)
        }
        guard let found else {
            if let (name, _) = firstUnknown {
                throw InputError(
                    "couldn't resolve module/action '\(name)'. This often indicates a misspelling, "
                        + "missing collection, or incorrect module path.", at: task.location)
            }
            throw InputError("no module/action detected in task.", at: task.location)
        }
        if let (name, node) = firstUnknown {
            throw InputError("'\(name)' is not a valid attribute for a Task", at: node.location)
        }
        return found
    }

    /// `action: copy src=a dest=b` or `action: {module: copy, src: a}`.
    private func actionKeyword(_ node: YAMLNode, isLocal: Bool, args: YAMLNode?) throws -> Found {
        let keyword = isLocal ? "local_action" : "action"
        switch try reader.value(node) {
        case .string(let text):
            let words = try split(text, at: node)
            guard let written = words.first else {
                throw InputError("no module/action detected in task.", at: node.location)
            }
            let short = resolve(written)
            var result = try extra(args, action: short ?? written)
            let rest = FreeFormArguments.join(Array(words.dropFirst()))
            for (k, v) in try freeForm(rest, action: short ?? written, at: node) { result[k] = v }
            return Found(
                action: short ?? written, written: written, arguments: result, isLocal: isLocal,
                isUnresolved: short == nil)
        case .dict(var dict):
            guard case .string(let written)? = dict.removeValue(forKey: "module") else {
                throw InputError(
                    "'\(keyword)' given as a mapping needs a 'module' key naming the action", at: node.location)
            }
            let short = resolve(written)
            var result = try extra(args, action: short ?? written)
            for (k, v) in dict { result[k] = v }
            return Found(
                action: short ?? written, written: written, arguments: result, isLocal: isLocal,
                isUnresolved: short == nil)
        default:
            throw InputError("'\(keyword)' must be a string or a mapping", at: node.location)
        }
    }

    /// The action's name as the task keeps it, or nil when neither Capstan nor Ansible knows it.
    private func resolve(_ name: String) -> String? {
        modules.canonical(name) ?? fallback(name)
    }

    /// A module Capstan lacks that Ansible would find (`ModuleNames.fallback`).
    private func fallback(_ name: String) -> String? {
        modules.fallback(name, libraryFolders: libraryFolders, collectionFolders: collectionFolders)
    }

    /// A module key's value: a mapping, a `k=v` string, or nothing; `args:` gives lower-priority defaults.
    private func arguments(_ node: YAMLNode, action: String, extra argsNode: YAMLNode?, task: YAMLNode) throws
        -> OrderedDictionary<String, Value>
    {
        var result = try extra(argsNode, action: action)
        switch try reader.value(node) {
        case .null: break
        case .dict(let dict): for (k, v) in dict { result[k] = v }
        case .string(let text): for (k, v) in try freeForm(text, action: action, at: node) { result[k] = v }
        case .int, .float, .bool:
            let text = try reader.string(node, action)
            for (k, v) in try freeForm(text, action: action, at: node) { result[k] = v }
        case let other:
            throw InputError("unexpected parameter type in action: \(other.pythonTypeName)", at: task.location)
        }
        return result
    }

    /// The `args:` keyword: a mapping, or a template kept as `_variable_params` for the engine.
    private func extra(_ node: YAMLNode?, action: String) throws -> OrderedDictionary<String, Value> {
        guard let node else { return [:] }
        switch try reader.value(node) {
        case .null: return [:]
        case .dict(let dict): return dict
        case .string(let s) where NodeReader.isTemplate(s): return ["_variable_params": .string(s)]
        default:
            throw InputError("The value of the task `args` keyword is invalid; expected a mapping", at: node.location)
        }
    }

    private func freeForm(_ text: String, action: String, at node: YAMLNode) throws -> OrderedDictionary<String, Value>
    {
        do {
            let parsed = try FreeFormArguments.parse(text, keepRaw: ModuleNames.freeFormModules.contains(action))
            return OrderedDictionary(uniqueKeysWithValues: parsed.map { ($0.key, Value.string($0.value)) })
        } catch let error as FreeFormArguments.SplitError {
            throw InputError(error.description, at: node.location)
        }
    }

    private func split(_ text: String, at node: YAMLNode) throws -> [String] {
        do {
            return try FreeFormArguments.split(text)
        } catch let error as FreeFormArguments.SplitError {
            throw InputError(error.description, at: node.location)
        }
    }
}
