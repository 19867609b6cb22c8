import CapstanBasics
import CapstanTemplating
import Collections
import Foundation
import OrderedCollections

/// A host's variables at one task as layers, lowest precedence first, looked up lazily: a value that
/// holds `{{ }}` is rendered when it is read, in this same scope, as Ansible templates variables on
/// use. A variable whose value needs itself (directly or through others) is an error naming it.
public final class LayeredScope: VariableScope, @unchecked Sendable {
    /// The layers, lowest precedence first.
    public private(set) var layers: [OrderedDictionary<String, Value>]
    /// Variables computed only when asked for (`hostvars`, `vars`), by name.
    var computed: [String: (LayeredScope) -> Value] = [:]
    let templar: Templar
    private var resolving: [String] = []
    private var cache: [String: Value] = [:]
    private let lock = NSRecursiveLock()

    /// A scope over `layers` (lowest first).
    public init(layers: [OrderedDictionary<String, Value>], templar: Templar) {
        self.layers = layers
        self.templar = templar
    }

    /// The same layers plus one on top (loop items, registered results for `changed_when`).
    public func adding(_ layer: OrderedDictionary<String, Value>) -> LayeredScope {
        let scope = LayeredScope(layers: layers + [layer], templar: templar)
        scope.computed = computed
        return scope
    }

    /// The raw (untemplated) value of `name` from the highest layer holding it.
    public func raw(_ name: String) -> Value? {
        for layer in layers.reversed() { if let v = layer[name] { return v } }
        return nil
    }

    /// Every variable name and its raw value, highest layer winning (Ansible's `vars`).
    public func flattened() -> OrderedDictionary<String, Value> {
        var merged = OrderedDictionary<String, Value>()
        for layer in layers { merged.merge(layer) { $1 } }
        return merged
    }

    /// The names of every layer's variables and of the computed ones (`hostvars`, `vars`, ...).
    public var variableNames: [String] {
        var names = Array(flattened().keys)
        let known = Set(names)
        names += computed.keys.sorted().filter { !known.contains($0) }
        return names
    }

    /// The templated value of `name`, or nil when no layer defines it.
    public func lookup(_ name: String) throws -> Value? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[name] { return hit }
        let value: Value
        if let raw = raw(name) {
            guard Self.containsTemplate(raw) else { return raw }
            if resolving.contains(name) {
                throw TemplateError(
                    "Recursive loop detected in template: the variable '\(name)' refers to itself"
                        + " (through \(resolving.joined(separator: " -> ")) -> \(name))")
            }
            resolving.append(name)
            defer { resolving.removeLast() }
            value = try templar.renderDeep(raw, scope: self)
        } else if let make = computed[name] {
            value = make(self)
        } else {
            return nil
        }
        cache[name] = value
        return value
    }

    /// Whether any string inside `value` holds Jinja2 syntax.
    static func containsTemplate(_ value: Value) -> Bool {
        switch value {
        case .string(let s): return Templar.isTemplated(s)
        case .list(let l): return l.contains(where: containsTemplate)
        case .dict(let d): return d.values.contains(where: containsTemplate)
        default: return false
        }
    }
}
