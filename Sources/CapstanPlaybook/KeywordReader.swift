import CapstanBasics
import CapstanYAML
import Collections

extension NodeReader {
    /// Reads one of the shared keywords into `keywords`; false when `key` is not one of them.
    /// `owner` names the object for messages (`Task`, `Block`, `Play`).
    func common(_ key: String, _ node: YAMLNode, into k: inout TaskKeywords, owner: String) throws -> Bool {
        switch key {
        case "name": k.name = try string(node, key)
        case "when": k.when = try conditions(node, key)
        case "tags": k.tags = try tags(node)
        case "vars": k.vars = try vars(node, owner: owner)
        case "become": k.become = try bool(node, key)
        case "become_user": k.becomeUser = try string(node, key)
        case "become_method": k.becomeMethod = try string(node, key)
        case "become_flags": k.becomeFlags = try string(node, key)
        case "become_exe": k.becomeExe = try string(node, key)
        case "ignore_errors": k.ignoreErrors = try bool(node, key)
        case "ignore_unreachable": k.ignoreUnreachable = try bool(node, key)
        case "environment": k.environment = try environment(node)
        case "delegate_to": k.delegateTo = try string(node, key)
        case "delegate_facts": k.delegateFacts = try bool(node, key)
        case "run_once": k.runOnce = try bool(node, key)
        case "no_log": k.noLog = try bool(node, key)
        case "check_mode": k.checkMode = try bool(node, key)
        case "diff": k.diff = try bool(node, key)
        case "timeout": k.timeout = try int(node, key)
        case "throttle": k.throttle = try int(node, key)
        case "any_errors_fatal": k.anyErrorsFatal = try bool(node, key)
        case "remote_user": k.remoteUser = try string(node, key)
        case "connection": k.connection = try string(node, key)
        case "port": k.port = try int(node, key)
        case "module_defaults": k.moduleDefaults = try value(node)
        case "debugger": k.debugger = try string(node, key)
        case "collections": break  // Capstan resolves module names itself; the search list has no effect.
        default: return false
        }
        return true
    }

    /// `environment:`: a mapping, a template, or a list of those.
    func environment(_ node: YAMLNode) throws -> [Value] {
        let v = try value(node)
        let entries: [Value]
        switch v {
        case .null: return []
        case .list(let items): entries = items
        default: entries = [v]
        }
        for entry in entries {
            switch entry {
            case .dict: continue
            case .string(let s) where NodeReader.isTemplate(s): continue
            default:
                throw InputError("environment must be a mapping, a template, or a list of those", at: node.location)
            }
        }
        return entries
    }

    /// `register:` must be a valid variable name.
    func register(_ node: YAMLNode) throws -> String {
        let v = try value(node)
        guard case .string(let name) = v else {
            throw InputError(
                "Invalid 'register' specified: Invalid variable name of type '\(v.pythonTypeName)'.",
                at: node.location)
        }
        guard NodeReader.isIdentifier(name) else {
            throw InputError("Invalid 'register' specified: '\(name)' is not a valid variable name.", at: node.location)
        }
        return name
    }

    /// `loop_control:` must be a mapping of the known keys.
    func loopControl(_ node: YAMLNode) throws -> LoopControl {
        guard node.pairs != nil else {
            throw InputError(
                "the `loop_control` value must be specified as a dictionary and cannot be a variable "
                    + "itself (though it can contain variables)", at: node.location)
        }
        var control = LoopControl(location: node.location)
        for (key, keyNode, v) in try pairs(node, what: "loop_control") {
            switch key {
            case "loop_var": control.loopVar = try string(v, key)
            case "index_var": control.indexVar = try string(v, key)
            case "label": control.label = try string(v, key)
            case "pause": control.pause = try double(v, key)
            case "extended": control.extended = try bool(v, key)
            case "extended_allitems": control.extendedAllItems = try bool(v, key)
            case "break_when": control.breakWhen = try conditions(v, key)
            default: throw InputError("'\(key)' is not a valid attribute for a LoopControl", at: keyNode.location)
            }
        }
        return control
    }
}
