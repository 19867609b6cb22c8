import CapstanBasics
import CapstanPlaybook
import OrderedCollections

/// `module_defaults` (play, role, block and task keyword): arguments a module gets unless the task
/// gives them, by any of the module's names (`file`, `ansible.builtin.file`); a mapping or a list of
/// mappings at each level; the last mention of a module (the innermost level, the later list item)
/// replaces the earlier ones whole, as ansible-core resolves them.
/// Action groups (`group/NAME`) name collections' module groups Capstan does not know: they apply
/// to nothing.
enum ModuleDefaults {
    /// The defaults for `action` from `levels`, outermost first.
    static func arguments(for action: String, levels: [Value?], names: ModuleNames) -> OrderedDictionary<
        String, Value
    > {
        let wanted = names.canonical(action) ?? action
        var merged = OrderedDictionary<String, Value>()
        for level in levels.compactMap({ $0 }) {
            for mapping in level.listValue ?? [level] {
                for (name, arguments) in mapping.dictValue ?? [:] where (names.canonical(name) ?? name) == wanted {
                    merged = arguments.dictValue ?? [:]
                }
            }
        }
        return merged
    }

    /// The task's arguments over the defaults that apply to it.
    static func applied(to task: PlaybookTask, frame: TaskFrame, names: ModuleNames) -> OrderedDictionary<String, Value>
    {
        let levels = frame.keywords.map(\.moduleDefaults) + [task.keywords.moduleDefaults]
        guard levels.contains(where: { $0 != nil }) else { return task.arguments }
        var arguments = arguments(for: task.action, levels: levels, names: names)
        for (key, value) in task.arguments { arguments[key] = value }
        return arguments
    }
}
