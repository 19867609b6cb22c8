import CapstanBasics
import Foundation

/// The templating entry point for the engine: an environment of filters and tests plus a cache of
/// compiled templates keyed by source text, so each distinct string is parsed once per run.
public final class Templar: @unchecked Sendable {
    /// The filters, tests and functions templates see; extend it before rendering.
    public let environment: TemplateEnvironment
    /// Compiled templates by source text and options.
    public let cache: TemplateCache
    /// The options `render`, `renderValue`, `renderDeep` and `evaluate` use when given none: a playbook
    /// run's templar uses `.ansibleYAML`, since the strings it renders come from YAML.
    public let defaultOptions: TemplateOptions

    /// A templar over `environment` (the built-ins by default) caching up to `cacheCapacity` compiled templates.
    public init(
        environment: TemplateEnvironment = TemplateEnvironment(), cacheCapacity: Int = 4096,
        defaultOptions: TemplateOptions = .ansible
    ) {
        self.environment = environment
        self.cache = TemplateCache(capacity: cacheCapacity)
        self.defaultOptions = defaultOptions
    }

    /// True if `s` holds Jinja2 syntax (`{{`, `{%` or `{#`); a cheap check before compiling.
    public static func isTemplated(_ s: String) -> Bool {
        var previousBrace = false
        for b in s.utf8 {
            if previousBrace, b == UInt8(ascii: "{") || b == UInt8(ascii: "%") || b == UInt8(ascii: "#") { return true }
            previousBrace = b == UInt8(ascii: "{")
        }
        return false
    }

    /// The compiled form of `source`, from the cache when it was compiled before.
    public func compile(_ source: String, options: TemplateOptions? = nil, origin: SourceLocation? = nil) throws
        -> Template
    {
        try cache.template(source, options: options ?? defaultOptions, origin: origin)
    }

    /// Renders `source` to text.
    public func render(
        _ source: String, scope: VariableScope, options: TemplateOptions? = nil,
        origin: SourceLocation? = nil
    ) throws -> String {
        guard Templar.isTemplated(source) else { return source }
        return try compile(source, options: options, origin: origin).render(scope, environment: environment)
    }

    /// Renders `source` to a value: a lone `{{ expression }}` keeps its type, anything else becomes a string.
    public func renderValue(
        _ source: String, scope: VariableScope, options: TemplateOptions? = nil,
        origin: SourceLocation? = nil
    ) throws -> Value {
        guard Templar.isTemplated(source) else { return .string(source) }
        return try compile(source, options: options, origin: origin).renderValue(scope, environment: environment)
    }

    /// Templates every string inside `value`, keeping the structure. Mapping keys stay as written, as in
    /// Ansible 2.19.
    public func renderDeep(_ value: Value, scope: VariableScope, origin: SourceLocation? = nil) throws -> Value {
        switch value {
        case .string(let s): return try renderValue(s, scope: scope, origin: origin)
        case .list(let l): return .list(try l.map { try renderDeep($0, scope: scope, origin: origin) })
        case .dict(var d):
            for (k, v) in d { d[k] = try renderDeep(v, scope: scope, origin: origin) }
            return .dict(d)
        default: return value
        }
    }
}

/// A bounded cache of compiled templates; when full it starts over, which keeps it simple and cheap.
public final class TemplateCache: @unchecked Sendable {
    private struct Key: Hashable {
        var source: String
        var options: TemplateOptions
    }

    private var entries: [Key: Template] = [:]
    private let lock = NSLock()
    /// The most entries kept before the cache is cleared.
    public let capacity: Int

    /// An empty cache that holds at most `capacity` templates.
    public init(capacity: Int) { self.capacity = capacity }

    /// Number of compiled templates held.
    public var count: Int { lock.withLock { entries.count } }

    /// The compiled template for `source`, compiling and storing it on first use; the caller's origin is
    /// applied to the returned copy (the compiled nodes are shared).
    public func template(_ source: String, options: TemplateOptions, origin: SourceLocation?) throws -> Template {
        let key = Key(source: source, options: options)
        if var t = lock.withLock({ entries[key] }) {
            t.origin = origin
            return t
        }
        let t = try Template(source, options: options, origin: origin)
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = t
        }
        return t
    }
}
