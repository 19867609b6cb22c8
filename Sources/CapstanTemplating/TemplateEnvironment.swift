import CapstanBasics
import Collections
import OrderedCollections

/// Where templates find variables. Implementations may compute values lazily, for example by templating a
/// variable whose own value is a template when it is first asked for.
public protocol VariableScope {
    /// The value of `name`, or nil when the variable is not defined.
    func lookup(_ name: String) throws -> Value?
    /// Every variable name the scope can answer for (the `varnames` lookup searches them).
    var variableNames: [String] { get }
}

extension VariableScope {
    /// No names known: scopes that compute variables on demand need not list them.
    public var variableNames: [String] { [] }
}

/// A fixed set of variables, for tests and simple callers.
public struct DictionaryScope: VariableScope {
    /// The variables by name.
    public var variables: OrderedDictionary<String, Value>

    /// A scope holding `variables`.
    public init(_ variables: OrderedDictionary<String, Value> = OrderedDictionary()) { self.variables = variables }

    /// Takes the variables from a mapping value; anything else gives an empty scope.
    public init(mapping value: Value) { self.variables = value.dictValue ?? OrderedDictionary() }

    /// The variable's value, or nil when it is not in the mapping.
    public func lookup(_ name: String) throws -> Value? { variables[name] }

    /// The mapping's keys.
    public var variableNames: [String] { Array(variables.keys) }
}

/// The arguments a filter, test or global function receives, already evaluated.
public struct CallArguments {
    /// The value before the `|` (filters) or before `is` (tests); `.null` for global functions.
    public var input: Value
    /// Positional arguments in order.
    public var positional: [Value]
    /// Keyword arguments in the order written.
    public var keywords: OrderedDictionary<String, Value>
    /// The environment, so a filter such as `map` can call other filters and tests.
    public let environment: TemplateEnvironment
    /// The variables of the render, for lookups that resolve relative paths (`playbook_dir`,
    /// `role_path`); nil when the caller has none.
    public var scope: (any VariableScope)? = nil

    /// The argument at `index`, or the keyword `name`, or `fallback`.
    public func argument(_ index: Int, _ name: String, default fallback: Value? = nil) -> Value? {
        if index < positional.count { return positional[index] }
        return keywords[name] ?? fallback
    }

    /// Like `argument`, as a Bool by Python truth.
    public func flag(_ index: Int, _ name: String, default fallback: Bool = false) -> Bool {
        argument(index, name)?.isTruthy ?? fallback
    }
}

extension CallArguments {
    /// Arguments for a call from another layer (a `with_<lookup>` loop calling its lookup plugin).
    package init(
        positional: [Value], keywords: OrderedDictionary<String, Value> = [:], environment: TemplateEnvironment,
        scope: (any VariableScope)?
    ) {
        self.init(input: .null, positional: positional, keywords: keywords, environment: environment, scope: scope)
    }
}

/// A filter: `input | name(args)`. Throw `TemplateError` for bad input.
public typealias TemplateFilter = (CallArguments) throws -> Value
/// A test: `input is name(args)`.
public typealias TemplateTest = (CallArguments) throws -> Bool
/// A global function such as `range` or `lookup`.
public typealias TemplateFunction = (CallArguments) throws -> Value

/// The tables of filters, tests and global functions templates can use. Starts with Jinja2's and
/// Ansible's common ones; callers add their own (Ansible-specific lookups, connection-aware filters).
public final class TemplateEnvironment: @unchecked Sendable {
    /// Filters by name (`default`, `to_json`, `ansible.builtin.to_json`, ...).
    public var filters: [String: TemplateFilter] = [:]
    /// Tests by name.
    public var tests: [String: TemplateTest] = [:]
    /// Global functions by name (`range`, `lookup`, `query`).
    public var functions: [String: TemplateFunction] = [:]
    /// Lookup plugins by name, called by `lookup(name, ...)` and `query(name, ...)`; each returns a list.
    public var lookups: [String: TemplateFunction] = [:]
    /// Finds the text of a template named by `{% include %}`; nil means not found. Without a loader, includes fail.
    public var loader: ((String) throws -> String?)?

    /// An environment with the built-in filters, tests and functions.
    public init() {
        JinjaBuiltinFilters.register(in: self)
        JinjaBuiltinTests.register(in: self)
        JinjaBuiltinFunctions.register(in: self)
    }

    /// Registers `filter` under `name` and `ansible.builtin.<name>`.
    public func registerFilter(_ name: String, _ filter: @escaping TemplateFilter) {
        filters[name] = filter
        filters["ansible.builtin." + name] = filter
    }

    /// Registers `test` under `name` and `ansible.builtin.<name>`.
    public func registerTest(_ name: String, _ test: @escaping TemplateTest) {
        tests[name] = test
        tests["ansible.builtin." + name] = test
    }

    /// Calls the filter `name`, for filters such as `map` that apply others.
    public func applyFilter(
        _ name: String, to input: Value, positional: [Value] = [],
        keywords: OrderedDictionary<String, Value> = OrderedDictionary()
    ) throws -> Value {
        guard let f = filters[name] else { throw TemplateError("No filter named '\(name)'.") }
        return try f(CallArguments(input: input, positional: positional, keywords: keywords, environment: self))
    }

    /// Calls the test `name`, for filters such as `select`.
    public func applyTest(
        _ name: String, to input: Value, positional: [Value] = [],
        keywords: OrderedDictionary<String, Value> = OrderedDictionary()
    ) throws -> Bool {
        guard let t = tests[name] else { throw TemplateError("No test named '\(name)'.") }
        return try t(CallArguments(input: input, positional: positional, keywords: keywords, environment: self))
    }
}
