import CapstanBasics
import CapstanModules
import CapstanTransport
import Collections
import OrderedCollections

/// Where `gather_facts` gets a host's facts: one remote command, parsed into Ansible's fact names
/// (without the `ansible_` prefix, as under `ansible_facts`). A seam so tests and other gatherers can
/// stand in.
protocol FactSource: Sendable {
    /// The host's facts for a play's `gather_subset` (nil: everything); transport failures are thrown
    /// as the connection threw them.
    func gather(on connection: any Connection, options: CommandOptions, subset: [String]?)
        async throws
        -> OrderedDictionary<String, Value>
}

/// The facts module's gatherer (`FactGatherer`): one fact program per host.
struct GathererFactSource: FactSource {
    func gather(on connection: any Connection, options: CommandOptions, subset: [String]?)
        async throws
        -> OrderedDictionary<String, Value>
    {
        let gatherer = FactGatherer(subset: try subset.map { try GatherSubset($0) } ?? .all)
        let facts = try await gatherer.gather(on: connection, options: options)
        return HostFacts.withoutPrefix(facts.ansibleFacts)
    }
}
