import CapstanBasics
import CapstanModules
import CapstanPlaybook
import CapstanTemplating
import CapstanTransport
import Collections
import OrderedCollections

/// One run of a task's action on one host (one loop item): resolves the delegate and the command
/// options, templates the arguments, runs the controller action or the module under the task's
/// retry and deadline policies, re-judges the result, and applies the action's effects.
struct TaskInvocation {
    let runtime: PlayRuntime
    let frame: TaskFrame
    let task: PlaybookTask

    var templar: Templar { runtime.templar }

    /// The outcome, the meta requests, and the delegate the task ran on (nil when not delegated).
    func run(host: String, scope: LayeredScope) async throws -> (ModuleOutcome, [MetaRequest], String?) {
        let delegate = try delegateHost(scope: scope)
        if task.isUnresolved {
            let message = "Task failed: Cannot resolve '\(task.action)' to an action or module."
            return (.failed(message), [], delegate)
        }
        let target = delegate ?? host
        let options = try commandOptions(for: target, scope: scope)
        let check =
            try Keyword.bool(frame.keyword(task, \.checkMode), templar: templar, scope: scope)
            ?? runtime.options.checkMode
        let diff =
            try Keyword.bool(frame.keyword(task, \.diff), templar: templar, scope: scope)
            ?? runtime.options.diffMode
        let timeout = try Keyword.int(frame.keyword(task, \.timeout), templar: templar, scope: scope)
        let arguments = try RunTrace.measure("\(host) template arguments") {
            try Omit.removing(
                templar.renderDeep(
                    .dict(ModuleDefaults.applied(to: task, frame: frame, names: runtime.moduleNames)), scope: scope,
                    origin: task.location
                ).dictValue
                    ?? [:])
        }
        let connection = runtime.connections.connection(
            for: target, kind: try connectionKind(delegate: delegate, scope: scope))
        let retry = try RetryPolicy(task: task, templar: templar, scope: scope)
        let box = EffectsBox()
        // Each attempt gets the task's deadline (`timeout:`), which every command it runs respects.
        let work: @Sendable (ContinuousClock.Instant?) async -> ModuleOutcome
        if let action = runtime.actions.action(named: task.action) {
            let makeContext = { @Sendable (deadline: ContinuousClock.Instant?) in
                ControllerActionContext(
                    host: host, task: self.task, scope: scope, templar: self.templar,
                    connection: connection,
                    commandOptions: options.until(deadline), checkMode: check, diffMode: diff,
                    searchPaths: [self.frame.role?.path, self.runtime.play.baseDirectory].compactMap { $0 },
                    modules: self.runtime.modules, verbosity: self.runtime.options.verbosity)
            }
            // Of the controller actions only `template` writes on the host: its `dest` may start with `~`.
            let tildes = TildePaths(
                module: action.name, arguments: action == TemplateAction.self ? arguments : [:], spec: action.spec)
            let task = self.task
            work = { deadline in
                let context = makeContext(deadline)
                do {
                    var arguments = arguments
                    if !tildes.isEmpty {
                        try await connection.connect()
                        arguments = try await tildes.expanded(on: connection, options: context.commandOptions)
                    }
                    let result = try await action.run(arguments, in: context)
                    box.effects = result.effects
                    return result.outcome
                } catch {
                    return TaskFailure.outcome(for: error, task: task)
                }
            }
        } else if runtime.usesFallback(task) {
            let fallback = try self.fallback(arguments: arguments, scope: scope)
            work = { deadline in
                let context = ModuleContext(
                    host: target, connection: connection, checkMode: check, diffMode: diff,
                    commandOptions: options.until(deadline))
                do {
                    try await connection.connect()
                    return try await fallback.run(in: context)
                } catch let error as ConnectionError {
                    return FailureClassifier.outcome(for: error)
                } catch {
                    return .failed("\(error)")
                }
            }
        } else {
            let module: any Module
            do {
                module = try runtime.modules.instantiate(task.action, arguments: arguments)
            } catch {
                return (TaskFailure.outcome(for: error, task: task), [], delegate)
            }
            // A module's local `src` (copy, unarchive) is looked up as Ansible does: the role's
            // files/, then the playbook's folder.
            let searchPaths = [frame.role?.path, runtime.play.baseDirectory].compactMap { $0 }
            let tildes = TildePaths(
                module: runtime.modules.canonicalName(task.action) ?? task.action, arguments: arguments,
                spec: runtime.modules.spec(of: task.action))
            let (modules, action) = (runtime.modules, task.action)
            work = { deadline in
                let context = ModuleContext(
                    host: target, connection: connection, checkMode: check, diffMode: diff,
                    commandOptions: options.until(deadline), searchPaths: searchPaths)
                do {
                    if !type(of: module).runsOnController { try await connection.connect() }
                    guard !tildes.isEmpty else { return try await module.run(in: context) }
                    let expanded = try await tildes.expanded(on: connection, options: context.commandOptions)
                    return try await modules.instantiate(action, arguments: expanded).run(in: context)
                } catch let error as ConnectionError {
                    return FailureClassifier.outcome(for: error)
                } catch {
                    return .failed("\(error)")
                }
            }
        }
        let workStart = ContinuousClock.now
        var outcome = try await retry.run(scope: scope, register: task.register) {
            await TaskDeadline.run(seconds: timeout, work)
        }
        RunTrace.log("\(host) work \(RunTrace.milliseconds(ContinuousClock.now - workStart))ms")
        outcome = try RunTrace.measure("\(host) result conditions") {
            try ResultConditions(templar: templar).apply(task, to: outcome, scope: scope)
        }
        let effects = box.effects
        if outcome.status != .failed, let effects {
            let factHost =
                (try Keyword.bool(frame.keyword(task, \.delegateFacts), templar: templar, scope: scope)
                    ?? false)
                ? target : host
            if !effects.facts.isEmpty { runtime.state.setVariables(effects.facts, for: factHost) }
            if !effects.variables.isEmpty { runtime.state.includeVariables(effects.variables, for: host) }
        }
        if let facts = outcome.fields["ansible_facts"]?.dictValue,
            runtime.actions.action(named: task.action) == nil
        {
            // Fact gathering keeps its own shape; any other module's facts are injected as Ansible
            // injects them (getent's `getent_passwd`, native or not).
            let gathering = ["setup", "gather_facts"].contains(runtime.moduleNames.canonical(task.action) ?? "")
            if runtime.usesFallback(task) || !gathering {
                addModuleFacts(facts, to: host)
            } else {
                runtime.state.addFacts(facts, to: host)
            }
        }
        return (outcome, effects?.meta.map { [$0] } ?? [], delegate)
    }

    /// Ansible's own module for an action Capstan lacks: the node's Python from
    /// `ansible_python_interpreter`, modules and `module_utils` from the role's and the playbook's folders.
    private func fallback(arguments: OrderedDictionary<String, Value>, scope: LayeredScope) throws
        -> AnsibleModuleFallback
    {
        let interpreter = try scope.lookup("ansible_python_interpreter").map {
            try templar.renderDeep($0, scope: scope).pythonString
        }
        let folders = [frame.role?.path, runtime.play.baseDirectory].compactMap { $0 }
        let noLog = try Keyword.bool(frame.keyword(task, \.noLog), templar: templar, scope: scope) ?? false
        return AnsibleModuleFallback(
            module: task.action, arguments: arguments, interpreter: interpreter,
            libraryFolders: task.libraryFolders.isEmpty ? folders.map { $0 + "/library" } : task.libraryFolders,
            moduleUtilsFolders: folders.map { $0 + "/module_utils" },
            noLog: noLog, verbosity: runtime.options.verbosity)
    }

    /// Facts as an Ansible module returns them (`ansible_os_family`, `getent_passwd`): each is under
    /// `ansible_facts` without its `ansible_` prefix, and one without the prefix is also a variable
    /// of its own name, as Ansible injects facts.
    private func addModuleFacts(_ facts: OrderedDictionary<String, Value>, to host: String) {
        var namespaced = OrderedDictionary<String, Value>()
        var plain = OrderedDictionary<String, Value>()
        for (key, value) in facts {
            if key.hasPrefix("ansible_") {
                namespaced[String(key.dropFirst("ansible_".count))] = value
            } else {
                namespaced[key] = value
                plain[key] = value
            }
        }
        runtime.state.addFacts(namespaced, to: host)
        if !plain.isEmpty { runtime.state.setVariables(plain, for: host) }
    }

    /// `delegate_to` (or `local_action`), templated; nil when the task runs on its own host.
    private func delegateHost(scope: LayeredScope) throws -> String? {
        if task.isLocalAction { return "localhost" }
        guard let raw = frame.keyword(task, \.delegateTo) else { return nil }
        let name = try templar.render(raw, scope: scope, origin: task.location)
        return name.isEmpty ? nil : name
    }

    /// The connection plugin the task asks for (`ansible_connection`, else the `connection` keyword);
    /// a delegate's own variables and the extra vars decide for a delegated task.
    private func connectionKind(delegate: String?, scope: LayeredScope) throws -> String? {
        let variable: Value?
        if let delegate {
            let raw =
                runtime.variables.extraVars["ansible_connection"]
                ?? runtime.variables.inventoryVariables(of: delegate)["ansible_connection"]
            variable = try raw.map { try templar.renderDeep($0, scope: scope) }
        } else {
            variable = try scope.lookup("ansible_connection")
        }
        return try ConnectionChoice.kind(
            variable: variable, keyword: frame.keyword(task, \.connection), templar: templar, scope: scope)
    }

    /// The inventory's options for the target, with the task's `become*`, `environment` and
    /// inherited keywords applied.
    private func commandOptions(for target: String, scope: LayeredScope) throws -> CommandOptions {
        var options = runtime.connections.commandOptions(for: target)
        if let become = try Keyword.bool(frame.keyword(task, \.become), templar: templar, scope: scope) {
            if become {
                let user = try frame.keyword(task, \.becomeUser).map {
                    try templar.render($0, scope: scope)
                }
                options.become = Become(
                    user: user ?? options.become?.user ?? "root",
                    password: options.become?.password
                        ?? runtime.connections.settings(for: target).becomePassword)
            } else {
                options.become = nil
            }
        } else if let user = frame.keyword(task, \.becomeUser), options.become != nil {
            options.become?.user = try templar.render(user, scope: scope)
        }
        for entry in frame.environment(task) {
            let rendered = try templar.renderDeep(entry, scope: scope, origin: task.location)
            for (k, v) in rendered.dictValue ?? [:] { options.environment[k] = v.pythonString }
        }
        return options
    }
}

/// Carries a controller action's effects out of the `@Sendable` work closure.
final class EffectsBox: @unchecked Sendable {
    var effects: ControllerActionEffects?
}

/// `omit`: arguments (at any depth in mappings) whose value is the omit placeholder are dropped.
enum Omit {
    static func removing(_ d: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var out = OrderedDictionary<String, Value>()
        for (k, v) in d {
            switch v {
            case .string(let s) where s == VariableManager.omitToken: continue
            case .dict(let inner): out[k] = .dict(removing(inner))
            case .list(let l): out[k] = .list(l.filter { $0 != .string(VariableManager.omitToken) })
            default: out[k] = v
            }
        }
        return out
    }
}
