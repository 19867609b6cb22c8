import CapstanTransport

/// Gathers a host's facts with one remote command: runs `FactScript` through the connection and
/// parses what it printed into `HostFacts`.
public struct FactGatherer: Sendable {
    /// Which groups to gather.
    public var subset: GatherSubset

    /// A gatherer for `subset` (everything by default).
    public init(subset: GatherSubset = .all) { self.subset = subset }

    /// The program this gatherer sends.
    public var program: String { FactScript.program(for: subset) }

    /// Runs the program on the host (one round trip) and parses its output. A program that fails
    /// (for example `/bin/sh` missing) is a `FactGatheringError`; transport failures are thrown as
    /// the connection threw them.
    public func gather(on connection: any Connection, options: CommandOptions = CommandOptions()) async throws
        -> HostFacts
    {
        var options = options
        if options.timeout == nil { options.timeout = .seconds(30) }
        let result = try await connection.run(program, options: options)
        guard result.succeeded else {
            throw FactGatheringError(host: connection.host, returnCode: result.returnCode, stderr: result.stderrText)
        }
        return parse(result.stdout)
    }

    /// Parses captured program output (what `gather` does after the round trip); pure, for tests.
    public func parse(_ stdout: [UInt8]) -> HostFacts {
        Self.parse(FactOutput(stdout), subset: subset)
    }

    /// Builds the typed facts from split output.
    static func parse(_ output: FactOutput, subset: GatherSubset) -> HostFacts {
        var facts = HostFacts(subset: subset)
        let machine = output.firstLine("/proc/sys/kernel/arch") ?? output.lines("uname").first?.trimmingSpaces ?? ""
        if subset.contains(.min) { facts.system = SystemFactsParser.parse(output, machine: machine) }
        if subset.contains(.hardware) { facts.hardware = HardwareFactsParser.parse(output, machine: machine) }
        if subset.contains(.network) { facts.network = NetworkFactsParser.parse(output) }
        if subset.contains(.virtual) { facts.virtualization = VirtualizationParser.parse(output) }
        return facts
    }
}

/// The fact program did not finish successfully on a host.
public struct FactGatheringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host, as the inventory names it.
    public var host: String
    /// The program's return code (Ansible's `rc`).
    public var returnCode: Int
    /// What it wrote on standard error.
    public var stderr: String
    /// The message.
    public var description: String {
        "fact gathering failed on \(host) (rc=\(returnCode)): \(stderr.trimmingSpaces)"
    }
}
