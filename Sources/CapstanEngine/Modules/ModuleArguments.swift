import CapstanBasics
import Collections

/// One argument a module accepts, as Ansible's `argument_spec` describes it.
public struct ArgumentDefinition: Sendable {
    /// The kinds Ansible converts arguments to.
    public enum Kind: Sendable { case string, bool, int, float, list, dict, path, raw }

    public var name: String
    public var kind: Kind
    public var required: Bool
    public var aliases: [String]
    public var choices: [String]?
    public var defaultValue: Value?
    /// The kind of each element of a list (`elements:`), nil when the elements are not checked.
    public var elements: Kind?
    /// The options of a dict (or of each dict of a list), checked in turn (`options:`).
    public var options: ArgumentSpec?

    public init(
        _ name: String, _ kind: Kind = .string, required: Bool = false, aliases: [String] = [],
        choices: [String]? = nil, default defaultValue: Value? = nil, elements: Kind? = nil,
        options: ArgumentSpec? = nil
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.aliases = aliases
        self.choices = choices
        self.defaultValue = defaultValue
        self.elements = elements
        self.options = options
    }
}

/// A module's arguments and the rules between them.
public struct ArgumentSpec: Sendable {
    public var arguments: [ArgumentDefinition]
    /// Groups of which at most one may be given (`content` / `src`).
    public var mutuallyExclusive: [[String]]
    /// Groups of which at least one must be given.
    public var requiredOneOf: [[String]]
    /// Whether free-form text (`_raw_params`) is allowed, as for `command`.
    public var acceptsFreeForm: Bool

    public init(
        _ arguments: [ArgumentDefinition], mutuallyExclusive: [[String]] = [], requiredOneOf: [[String]] = [],
        acceptsFreeForm: Bool = false
    ) {
        self.arguments = arguments
        self.mutuallyExclusive = mutuallyExclusive
        self.requiredOneOf = requiredOneOf
        self.acceptsFreeForm = acceptsFreeForm
    }
}

/// A module argument that breaks the module's spec; the message means what Ansible's means.
public struct ModuleArgumentError: Error, Sendable, CustomStringConvertible {
    public var module: String
    public var message: String
    public var description: String { message }
}

/// Arguments after checking: every known name present or defaulted, aliases folded, types converted.
public struct ModuleArguments: Sendable {
    /// The values by canonical name.
    public private(set) var values: OrderedDictionary<String, Value>

    /// Checks raw task arguments against a spec and converts them, or says what is wrong.
    public init(_ raw: OrderedDictionary<String, Value>, spec: ArgumentSpec, module: String) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: module, message: message) }
        var canonical: [String: String] = [:]
        for def in spec.arguments {
            canonical[def.name] = def.name
            for alias in def.aliases { canonical[alias] = def.name }
        }
        if spec.acceptsFreeForm { canonical["_raw_params"] = "_raw_params" }
        let unknown = raw.keys.filter { canonical[$0] == nil }
        if !unknown.isEmpty {
            let supported = canonical.keys.filter { $0 != "_raw_params" }.sorted().joined(separator: ", ")
            throw fail(
                "Unsupported parameters for (\(module)) module: \(unknown.sorted().joined(separator: ", ")). "
                    + "Supported parameters include: \(supported).")
        }
        var values = OrderedDictionary<String, Value>()
        for (key, value) in raw { values[canonical[key]!] = value }
        for group in spec.mutuallyExclusive where group.filter({ values[$0] != nil }).count > 1 {
            throw fail("parameters are mutually exclusive: \(group.joined(separator: "|"))")
        }
        for group in spec.requiredOneOf where group.allSatisfy({ values[$0] == nil }) {
            throw fail("one of the following is required: \(group.joined(separator: ", "))")
        }
        let missing = spec.arguments.filter { $0.required && values[$0.name] == nil }.map(\.name)
        if !missing.isEmpty { throw fail("missing required arguments: \(missing.joined(separator: ", "))") }
        for def in spec.arguments {
            guard let value = values[def.name] else {
                if let d = def.defaultValue { values[def.name] = d }
                continue
            }
            let converted = try ArgumentConversion.convert(value, to: def.kind, name: def.name, module: module)
            if let choices = def.choices, !choices.contains(converted.pythonString) {
                throw fail(
                    "value of \(def.name) must be one of: \(choices.joined(separator: ", ")), got: \(converted.pythonString)"
                )
            }
            values[def.name] = converted
        }
        self.values = values
    }

    /// The value of an argument, if given or defaulted.
    public subscript(name: String) -> Value? { values[name] }

    /// A string argument (already converted).
    public func string(_ name: String) -> String? { values[name]?.stringValue }

    /// A boolean argument; `false` when absent.
    public func bool(_ name: String) -> Bool { values[name] == .bool(true) }
}
