import CapstanBasics
import CapstanPlaybook
import CapstanTemplating
import CapstanYAML
import Collections
import OrderedCollections

/// A play's own variables: `vars`, then `vars_prompt` defaults (Capstan never prompts; an extra var of
/// the same name wins anyway), then `vars_files` (names templated, relative to the play's folder).
enum PlayVariables {
    static func load(_ play: Play, host: String, runtime: PlayRuntime, warnings: inout [Warning])
        throws
        -> OrderedDictionary<String, Value>
    {
        var vars = declared(play)
        for entry in play.varsFiles {
            var scopePlay = runtime.play
            scopePlay.variables = vars
            let scope = runtime.variables.scope(host: host, play: scopePlay, frame: nil, task: nil)
            let (names, location) = candidates(entry)
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
        var vars = declared(play)
        var ignored: [Warning] = []
        for entry in play.varsFiles {
            let scope = LayeredScope(layers: [vars, extraVars], templar: templar)
            for name in candidates(entry).names {
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

    /// `vars`, then `vars_prompt` defaults.
    private static func declared(_ play: Play) -> OrderedDictionary<String, Value> {
        var vars = play.keywords.vars
        for prompt in play.varsPrompt where vars[prompt.name] == nil || prompt.defaultValue != nil {
            vars[prompt.name] = prompt.defaultValue ?? ""
        }
        return vars
    }

    /// The names a `vars_files` entry may be read from, in order, and where it is written.
    private static func candidates(_ entry: VarsFile) -> (names: [String], location: SourceLocation) {
        switch entry {
        case .file(let name, let location): ([name], location)
        case .firstFound(let list, let location): (list, location)
        }
    }
}
