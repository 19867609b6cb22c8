import Collections
import OrderedCollections

/// A play's own variables: `vars`, then `vars_prompt` defaults (Capstan never prompts; an extra var of
/// the same name wins anyway), then `vars_files` (names templated, relative to the play's folder).
enum PlayVariables {
    static func load(_ play: Play, host: String, runtime: PlayRuntime, warnings: inout [Warning])
        throws
        -> OrderedDictionary<String, Value>
    {
        var vars = play.keywords.vars
        for prompt in play.varsPrompt where vars[prompt.name] == nil || prompt.defaultValue != nil {
            vars[prompt.name] = prompt.defaultValue ?? ""
        }
        for entry in play.varsFiles {
            var scopePlay = runtime.play
            scopePlay.variables = vars
            let scope = runtime.variables.scope(host: host, play: scopePlay, frame: nil, task: nil)
            let (names, location): ([String], SourceLocation)
            switch entry {
            case .file(let name, let loc): (names, location) = ([name], loc)
            case .firstFound(let list, let loc): (names, location) = (list, loc)
            }
            var found = false
            for name in names {
                let rendered = try runtime.templar.render(name, scope: scope, origin: location)
                let path = rendered.hasPrefix("/") ? rendered : Paths.join(play.baseDirectory, rendered)
                guard Paths.isFile(path) else { continue }
                let value = try YAMLLoader.value(contentsOf: path, warnings: &warnings)
                guard case .dict(let d) = value else {
                    if value == .null {
                        found = true
                        break
                    }
                    throw InputError("vars file \(rendered) must hold a mapping", at: location)
                }
                vars.merge(d) { $1 }
                found = true
                break
            }
            if !found {
                throw InputError("vars file \(names.joined(separator: ", ")) was not found", at: location)
            }
        }
        return vars
    }

    /// The play's variables without a host, as Ansible templates the play's `hosts:` and `name:` with
    /// them: `vars`, `vars_prompt` defaults, and each `vars_files` entry whose name templates without a
    /// host's variables (an entry that needs them is skipped, one not found is too).
    static func withoutHost(_ play: Play, extraVars: OrderedDictionary<String, Value>, templar: Templar)
        -> OrderedDictionary<String, Value>
    {
        var vars = play.keywords.vars
        for prompt in play.varsPrompt where vars[prompt.name] == nil || prompt.defaultValue != nil {
            vars[prompt.name] = prompt.defaultValue ?? ""
        }
        var ignored: [Warning] = []
        for entry in play.varsFiles {
            let names: [String]
            switch entry {
            case .file(let name, _): names = [name]
            case .firstFound(let list, _): names = list
            }
            let scope = LayeredScope(layers: [vars, extraVars], templar: templar)
            for name in names {
                guard let rendered = try? templar.render(name, scope: scope) else { break }
                let path = rendered.hasPrefix("/") ? rendered : Paths.join(play.baseDirectory, rendered)
                guard Paths.isFile(path) else { continue }
                if case .dict(let d)? = try? YAMLLoader.value(contentsOf: path, warnings: &ignored) {
                    vars.merge(d) { $1 }
                }
                break
            }
        }
        return vars
    }
}
