import CapstanBasics
import CapstanYAML
import Collections

extension PlaybookParser {
    /// A playbook file's plays, with `import_playbook` entries replaced by the imported plays.
    func plays(inFile path: String, from location: SourceLocation?, chain: [String]) throws -> [Play] {
        guard !chain.contains(path) else {
            throw InputError(
                "import_playbook of '\(path)' imports itself",
                at: location ?? SourceLocation(file: path, line: 1, column: 1))
        }
        let savedBase = baseDirectory
        baseDirectory = Paths.directory(of: path)
        defer { baseDirectory = savedBase }
        guard let doc = try document(path, from: location) else { return [] }
        if case .scalar = doc.kind, try reader.value(doc) == .null { return [] }
        guard let entries = doc.items else {
            throw InputError(
                "A playbook must be a list of plays, got \(reader.kindName(doc)) instead: \(path)",
                at: doc.location)
        }
        var result: [Play] = []
        for entry in entries {
            guard entry.pairs != nil else {
                throw InputError(
                    "playbook entries must be either valid plays or 'import_playbook' statements",
                    at: entry.location)
            }
            let pairs = try reader.pairs(entry, what: "a play")
            if let importPair = pairs.first(where: { Self.isImportPlaybook($0.key) }) {
                result += try importedPlays(entry, pairs, importKey: importPair.key, chain: chain + [path])
            } else {
                result.append(try play(entry, pairs, file: path))
            }
        }
        return result
    }

    private static func isImportPlaybook(_ key: String) -> Bool {
        key == "import_playbook" || key == "ansible.builtin.import_playbook" || key == "ansible.legacy.import_playbook"
    }

    /// `import_playbook: FILE` with its `vars`, `tags` and `when`, applied to each imported play.
    private func importedPlays(
        _ node: YAMLNode, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], importKey: String,
        chain: [String]
    ) throws -> [Play] {
        var keywords = TaskKeywords()
        var file: String?
        for (key, keyNode, value) in pairs {
            if key == importKey {
                file = try reader.string(value, key)
                continue
            }
            guard KeywordNames.playbookImport.contains(key) else {
                throw InputError("'\(key)' is not a valid attribute for a PlaybookInclude", at: keyNode.location)
            }
            _ = try reader.common(key, value, into: &keywords, owner: "PlaybookInclude")
        }
        guard let file, !file.isEmpty else {
            throw InputError("import_playbook statements must specify the file name to import", at: node.location)
        }
        guard !NodeReader.isTemplate(file) else {
            throw InputError(
                "import_playbook needs a file name known at load time, not a template: \(file)",
                at: node.location)
        }
        let path = Paths.join(baseDirectory, file)
        let imported = try nested(at: node.location) { try plays(inFile: path, from: node.location, chain: chain) }
        return imported.map { play in
            var p = play
            p.importConditions = keywords.when + p.importConditions
            for (k, v) in keywords.vars { p.keywords.vars[k] = v }
            for tag in keywords.tags where !p.keywords.tags.contains(tag) { p.keywords.tags.append(tag) }
            return p
        }
    }

    /// One play.
    func play(_ node: YAMLNode, _ pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)], file: String) throws
        -> Play
    {
        guard let hostsNode = pairs.first(where: { $0.key == "hosts" })?.value else {
            throw InputError("The field 'hosts' is required but was not set.", at: node.location)
        }
        var play = Play(
            name: nil, hosts: try hosts(hostsNode), keywords: TaskKeywords(),
            baseDirectory: baseDirectory, location: node.location)
        let ctx = FileContext(file: file)
        for (key, keyNode, value) in pairs {
            guard KeywordNames.play.contains(key) else {
                throw InputError("'\(key)' is not a valid attribute for a Play", at: keyNode.location)
            }
            try playKeyword(key, value, into: &play, ctx: ctx, playNode: node)
        }
        play.name = play.keywords.name
        return play
    }

    private func playKeyword(
        _ key: String, _ value: YAMLNode, into play: inout Play, ctx: FileContext,
        playNode: YAMLNode
    ) throws {
        switch key {
        case "hosts": return
        case "user": play.keywords.remoteUser = try reader.string(value, key)
        case "gather_facts": play.gatherFacts = try reader.bool(value, key)
        case "gather_subset":
            play.gatherSubset = try reader.stringList(value, key).flatMap {
                $0.split(separator: ",").map { String($0).trimmingWhitespace() }
            }
        case "gather_timeout": play.gatherTimeout = try reader.int(value, key)
        case "fact_path": _ = try reader.string(value, key)
        case "vars_files": play.varsFiles = try varsFiles(value)
        case "vars_prompt": play.varsPrompt = try varsPrompt(value)
        case "roles":
            if case .scalar = value.kind, try reader.value(value) == .null { return }
            guard let items = value.items else {
                throw InputError("A malformed role declaration was encountered.", at: value.location)
            }
            play.roles = try items.map { try roleReference($0, parent: nil) }
        case "pre_tasks": play.preTasks = try taskList(value, ctx, owner: playNode.location)
        case "tasks": play.tasks = try taskList(value, ctx, owner: playNode.location)
        case "post_tasks": play.postTasks = try taskList(value, ctx, owner: playNode.location)
        case "handlers":
            var handlerCtx = ctx
            handlerCtx.isHandler = true
            play.handlers = try taskList(value, handlerCtx, owner: playNode.location, what: "handlers")
        case "serial": play.serial = try serial(value)
        case "strategy": play.strategy = try reader.string(value, key)
        case "max_fail_percentage": play.maxFailPercentage = try percent(value, key)
        case "force_handlers": play.forceHandlers = try reader.bool(value, key)
        case "order": play.order = try reader.string(value, key)
        default:
            _ = try reader.common(key, value, into: &play.keywords, owner: "Play")
        }
    }

    /// `hosts:` as a list of patterns; Ansible's checks on empty and non-string entries.
    private func hosts(_ node: YAMLNode) throws -> [String] {
        let v = try reader.value(node)
        switch v {
        case .string(let s) where !s.isEmpty: return [s]
        case .list(let items) where !items.isEmpty:
            return try zip(items, node.items ?? []).map { item, itemNode in
                switch item {
                case .string(let s): return s
                case .null:
                    throw InputError(
                        "Hosts list cannot contain values of 'None'. Please check your playbook",
                        at: itemNode.location)
                default:
                    throw InputError(
                        "Hosts list contains an invalid host value: '\(item.pythonString)'",
                        at: itemNode.location)
                }
            }
        case .string, .list, .null:
            throw InputError("Hosts list cannot be empty. Please check your playbook", at: node.location)
        default:
            throw InputError("Hosts list must be a sequence or string. Please check your playbook.", at: node.location)
        }
    }
}
