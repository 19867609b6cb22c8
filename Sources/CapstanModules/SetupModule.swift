import CapstanBasics
import Collections

/// `setup` (and `gather_facts`): gathers the host's facts in one remote command (`FactGatherer`) and
/// returns them in `ansible_facts`, optionally only the groups of `gather_subset` and the names
/// matching `filter`. Never changes anything, so it runs the same in check mode.
public struct SetupModule: Module {
    /// `setup`; `gather_facts` tasks run it too.
    public static let name = "setup"
    /// Ansible's arguments: `gather_subset`, `gather_timeout` (seconds for the one command),
    /// `filter`, `fact_path` (accepted, unused).
    public static let spec = ArgumentSpec([
        ArgumentDefinition("gather_subset", .list, default: ["all"]),
        ArgumentDefinition("gather_timeout", .int, default: 10),
        ArgumentDefinition("filter", .list, default: []),
        // Local facts (facts.d) are not gathered; the argument is accepted so playbooks still run.
        ArgumentDefinition("fact_path", .path, default: "/etc/ansible/facts.d"),
    ])

    let gatherer: FactGatherer
    let filters: [String]
    let timeout: Int

    /// Checks `gather_subset` (an unknown subset fails as in Ansible) and reads `filter`.
    public init(arguments: ModuleArguments) throws {
        let subset = arguments["gather_subset"]?.listValue?.map(\.pythonString) ?? ["all"]
        do {
            gatherer = FactGatherer(subset: try GatherSubset(subset))
        } catch let error as GatherSubsetError {
            throw ModuleArgumentError(module: Self.name, message: error.description)
        }
        filters = arguments["filter"]?.listValue?.map(\.pythonString) ?? []
        if case .int(let seconds)? = arguments["gather_timeout"] { timeout = seconds } else { timeout = 10 }
    }

    /// Gathers and returns `ansible_facts`; `ok`, or failed with the program's error output.
    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        var options = context.commandOptions
        options.timeout = .seconds(max(timeout, 1))
        let facts: HostFacts
        do {
            facts = try await gatherer.gather(on: context.connection, options: options)
        } catch let error as FactGatheringError {
            return .failed(error.description)
        }
        return ModuleOutcome(status: .ok, fields: ["ansible_facts": .dict(Self.filter(facts.ansibleFacts, filters))])
    }

    /// Ansible's filter: each pattern is an fnmatch glob on the fact name, tried again with
    /// `ansible_` in front when it does not already start with it; no pattern (or `*`) keeps all.
    static func filter(_ facts: OrderedDictionary<String, Value>, _ patterns: [String])
        -> OrderedDictionary<String, Value>
    {
        guard !patterns.isEmpty, patterns != ["*"] else { return facts }
        var kept = OrderedDictionary<String, Value>()
        for pattern in patterns {
            let plain = Array(pattern)
            let prefixed = pattern.hasPrefix("ansible_") ? nil : Array("ansible_" + pattern)
            for (name, value) in facts {
                let chars = Array(name)
                if pattern.isEmpty || Glob.match(plain, chars) || prefixed.map({ Glob.match($0, chars) }) == true {
                    kept[name] = value
                }
            }
        }
        return kept
    }
}

/// `gather_facts` as a task: the same gathering as `setup` (its `parallel` argument is accepted; hosts
/// are gathered in parallel by the executor anyway).
public struct GatherFactsModule: Module {
    /// `gather_facts`.
    public static let name = "gather_facts"
    /// `setup`'s arguments and `parallel`.
    public static let spec = ArgumentSpec(SetupModule.spec.arguments + [ArgumentDefinition("parallel", .bool)])

    let setup: SetupModule

    /// Reads the arguments as `setup` does.
    public init(arguments: ModuleArguments) throws { setup = try SetupModule(arguments: arguments) }

    /// Gathers and returns `ansible_facts`, as `setup`.
    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await setup.run(in: context) }
}
