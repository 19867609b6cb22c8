import CapstanBasics
import CapstanPlaybook
import Collections

/// How a result's fields are shown after `=>`: Ansible's `_clean_results` and `_dump_results`.
public enum ResultDisplay {
    /// Action names that are `debug` (Ansible's `_ACTION_DEBUG`).
    static let debugActions: Set<String> = ["debug", "ansible.builtin.debug", "ansible.legacy.debug"]
    /// Action names that are dynamic includes (Ansible's `TaskInclude` tasks).
    static let includeActions: Set<String> = [
        "include_tasks", "include_role", "ansible.builtin.include_tasks", "ansible.builtin.include_role",
        "ansible.legacy.include_tasks", "ansible.legacy.include_role",
    ]
    /// Keys `debug` with `var:` hides (the callback's `_hide_in_debug`).
    static let hiddenInDebug: Set<String> = [
        "changed", "failed", "skipped", "invocation", "skip_reason", "ansible_loop_var", "ansible_index_var",
        "ansible_loop",
    ]
    /// Keys `debug` with `msg:` keeps (Ansible's `_DEBUG_ALLOWED_KEYS`).
    static let debugAllowed: Set<String> = ["msg", "exception", "warnings", "deprecations"]

    /// `action` without a collection prefix Capstan resolves (`ansible.builtin.debug` is `debug`).
    public static func shortName(_ action: String) -> String {
        for prefix in ModuleNames.collectionPrefixes where action.hasPrefix(prefix) {
            return String(action.dropFirst(prefix.count))
        }
        return action
    }

    /// `_clean_results`: `debug` shows only its message or its variable.
    public static func clean(_ fields: OrderedDictionary<String, Value>, action: String)
        -> OrderedDictionary<String, Value>
    {
        guard debugActions.contains(action) else { return fields }
        if fields["msg"] != nil {
            return fields.filter { debugAllowed.contains($0.key) || $0.key.hasPrefix("_") }
        }
        return fields.filter { !hiddenInDebug.contains($0.key) }
    }

    /// `_run_is_verbose`: shown with `-v`, or always when the action asks (`debug`, `assert`).
    public static func isVerbose(_ fields: OrderedDictionary<String, Value>, verbosity: Int, above: Int = 0) -> Bool {
        let always = fields["_ansible_verbose_always"] == .bool(true)
        let overridden = fields["_ansible_verbose_override"].map { $0 != .bool(false) } ?? false
        return (verbosity > above || always) && !overridden
    }

    /// `_dump_results`: JSON with sorted keys, indented when the action asks or at `-vvv`, without
    /// internal keys, the invocation and diff (below `-vvv`), exception, warnings and deprecations.
    public static func dump(_ fields: OrderedDictionary<String, Value>, verbosity: Int) -> String {
        let indent = fields["_ansible_verbose_always"]?.isTruthy == true || verbosity > 2
        var shown = stripInternal(fields)
        if verbosity < 3 {
            shown.removeValue(forKey: "invocation")
            shown.removeValue(forKey: "diff")
        }
        for key in ["exception", "warnings", "deprecations"] { shown.removeValue(forKey: key) }
        let style = Value.JSONStyle(indent: indent ? 4 : nil, sortKeys: true, ensureASCII: false)
        return Value.dict(shown).json(style)
    }

    /// `strip_internal_keys`: drops `_ansible_*` keys at every depth.
    static func stripInternal(_ fields: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        for (key, value) in fields where !key.hasPrefix("_ansible_") { out[key] = stripInternal(value) }
        return out
    }

    private static func stripInternal(_ value: Value) -> Value {
        switch value {
        case .dict(let d): return .dict(stripInternal(d))
        case .list(let l): return .list(l.map(stripInternal))
        default: return value
        }
    }
}
