import CapstanBasics
import Collections

/// One argument a module accepts, as Ansible's `argument_spec` describes it.
public struct ArgumentDefinition: Sendable {
    /// The kinds Ansible converts arguments to; `custom` is a conversion of the caller's own, as
    /// Ansible's `type=` also takes a function.
    public enum Kind: Sendable { case string, bool, int, float, list, dict, path, raw, custom(CustomConversion) }

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

/// A conversion Ansible names by its function (`type=str_or_list_of_str`, `type=int`): an error says
/// `unable to convert to NAME: REASON`, the reason being what `convert` throws.
public struct CustomConversion: Sendable {
    /// The function's name as Ansible's message shows it.
    public var name: String
    /// The converted value, or a thrown `Refusal` with the reason.
    public var convert: @Sendable (Value) throws -> Value

    /// Why a value could not be converted (Python's exception text).
    public struct Refusal: Error {
        /// The reason, after the colon in Ansible's message.
        public var reason: String

        /// A refusal with the given reason.
        public init(_ reason: String) { self.reason = reason }
    }

    /// A conversion named `name`.
    public init(_ name: String, _ convert: @escaping @Sendable (Value) throws -> Value) {
        self.name = name
        self.convert = convert
    }
}

/// What the checker does with a key its spec does not name.
public enum UnknownKeys: Sendable {
    /// Fails with Ansible's argument spec message (`Unsupported parameters for (copy) module: ...`).
    case unsupported
    /// Fails with the message an action of Ansible's writes itself, given the unknown keys in order.
    case rejected(@Sendable (_ keys: [String]) -> String)
    /// Keeps them, unchecked and in the order given, in `ModuleArguments.extra` (set_fact's facts,
    /// add_host's host variables).
    case accepted
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
    /// Keys the spec does not name: an error (most modules and actions) or kept as they are.
    public var unknownKeys: UnknownKeys

    public init(
        _ arguments: [ArgumentDefinition], mutuallyExclusive: [[String]] = [], requiredOneOf: [[String]] = [],
        acceptsFreeForm: Bool = false, unknownKeys: UnknownKeys = .unsupported
    ) {
        self.arguments = arguments
        self.mutuallyExclusive = mutuallyExclusive
        self.requiredOneOf = requiredOneOf
        self.acceptsFreeForm = acceptsFreeForm
        self.unknownKeys = unknownKeys
    }
}

/// A module argument that breaks the module's spec; the message means what Ansible's means.
public struct ModuleArgumentError: Error, Sendable, CustomStringConvertible {
    public var module: String
    public var message: String
    public var description: String { message }

    public init(module: String, message: String) {
        self.module = module
        self.message = message
    }
}

/// Arguments after checking: every known name present or defaulted, aliases folded, types converted.
public struct ModuleArguments: Sendable {
    /// The values by canonical name.
    public private(set) var values: OrderedDictionary<String, Value>
    /// The keys the spec does not name, as given, when it accepts them (`UnknownKeys.accepted`).
    public private(set) var extra: OrderedDictionary<String, Value> = [:]

    /// Checks raw task arguments against a spec and converts them, or says what is wrong: the first
    /// problem in the order of Ansible's `ArgumentSpecValidator` (mutually exclusive, required, types,
    /// choices, required-one-of, unknown names last), except that an action refusing unknown keys in its
    /// own words does so first, as Ansible's actions check them before anything else.
    public init(_ raw: OrderedDictionary<String, Value>, spec: ArgumentSpec, module: String) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: module, message: message) }
        var canonical: [String: String] = [:]
        for def in spec.arguments {
            canonical[def.name] = def.name
            for alias in def.aliases { canonical[alias] = def.name }
        }
        if spec.acceptsFreeForm { canonical["_raw_params"] = "_raw_params" }
        let unknown = raw.keys.filter { canonical[$0] == nil }
        if !unknown.isEmpty, case .rejected(let message) = spec.unknownKeys { throw fail(message(Array(unknown))) }
        var values = OrderedDictionary<String, Value>()
        var extra = OrderedDictionary<String, Value>()
        for (key, value) in raw {
            guard let name = canonical[key] else {
                extra[key] = value
                continue
            }
            // As in Ansible, an alias given with its option wins.
            if key == name && values[name] != nil { continue }
            values[name] = value
        }
        for group in spec.mutuallyExclusive where group.filter({ values[$0] != nil }).count > 1 {
            throw fail("parameters are mutually exclusive: \(group.joined(separator: "|"))")
        }
        let missing = spec.arguments.filter { $0.required && values[$0.name] == nil }.map(\.name).sorted()
        if !missing.isEmpty { throw fail("missing required arguments: \(missing.joined(separator: ", "))") }
        for def in spec.arguments {
            guard let value = values[def.name] else {
                if let d = def.defaultValue { values[def.name] = d }
                continue
            }
            // As in Ansible, a null for an optional argument without a default stays null.
            if value == .null && !def.required && def.defaultValue == nil { continue }
            values[def.name] = try ArgumentConversion.convert(value, to: def.kind, name: def.name, module: module)
        }
        for def in spec.arguments {
            guard let choices = def.choices, let value = values[def.name], !choices.contains(value.pythonString)
            else { continue }
            throw fail(
                "value of \(def.name) must be one of: \(choices.joined(separator: ", ")), got: \(value.pythonString)")
        }
        for group in spec.requiredOneOf where group.allSatisfy({ values[$0] == nil }) {
            throw fail("one of the following is required: \(group.joined(separator: ", "))")
        }
        if !unknown.isEmpty, case .unsupported = spec.unknownKeys {
            throw fail(
                "Unsupported parameters for (\(module)) module: \(unknown.sorted().joined(separator: ", ")). "
                    + "Supported parameters include: \(Self.supported(spec)).")
        }
        self.values = values
        self.extra = extra
    }

    /// Ansible's list of supported names: the options sorted, then their aliases sorted, in parentheses.
    private static func supported(_ spec: ArgumentSpec) -> String {
        let names = spec.arguments.map(\.name).sorted().joined(separator: ", ")
        let aliases = spec.arguments.flatMap(\.aliases).sorted()
        return aliases.isEmpty ? names : names + " (\(aliases.joined(separator: ", ")))"
    }

    /// The value of an argument, if given or defaulted.
    public subscript(name: String) -> Value? { values[name] }

    /// A string argument (already converted).
    public func string(_ name: String) -> String? { values[name]?.stringValue }

    /// An argument as text: nil when absent or null, a non-string as Python prints it (for `raw`
    /// arguments that Ansible's actions read with `str()`).
    public func text(_ name: String) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: return other.pythonString
        }
    }

    /// A boolean argument; `false` when absent.
    public func bool(_ name: String) -> Bool { values[name] == .bool(true) }
}
