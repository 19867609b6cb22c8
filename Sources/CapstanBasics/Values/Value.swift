import Collections

/// A value as Ansible's variables hold it: what YAML, JSON, inventory files and Jinja2 expressions produce.
///
/// Mappings keep their insertion order, as Python's dicts do, so that output (JSON, `to_yaml`, the
/// rendering of a dict in a template) comes out in the order a user wrote it.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Value])
    case dict(OrderedDictionary<String, Value>)
}

extension Value {
    /// An empty mapping.
    public static var emptyDict: Value { .dict([:]) }

    /// Python's truth value: empty strings, lists and dicts, zero and None are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// The string inside, or nil for any other kind.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The list inside, or nil for any other kind.
    public var listValue: [Value]? {
        if case .list(let l) = self { return l }
        return nil
    }

    /// The mapping inside, or nil for any other kind.
    public var dictValue: OrderedDictionary<String, Value>? {
        if case .dict(let d) = self { return d }
        return nil
    }

    /// The name Python gives this value's type, for messages (`str`, `int`, `dict`, ...).
    public var pythonTypeName: String {
        switch self {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        }
    }

    /// Looks up a key in a mapping; nil for a missing key or a value that is not a mapping.
    public subscript(key: String) -> Value? {
        dictValue?[key]
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, Value)...) {
        var d = OrderedDictionary<String, Value>()
        for (k, v) in elements { d[k] = v }
        self = .dict(d)
    }
}
