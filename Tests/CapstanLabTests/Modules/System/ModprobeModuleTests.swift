import CapstanTestSupport
import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `modprobe` on lab node 2. Nodes share the host's kernel and cannot load modules (and this host's
/// kernel has no loadable modules at all: no /proc/modules, no /lib/modules), so loading and
/// unloading are not exercised; "already loaded" uses `bridge`, which this kernel has built in
/// (/sys/module/bridge), and the persistence files are tested for real.
@Suite(.serialized) struct ModprobeModuleTests {
    static let loadFile = "/etc/modules-load.d/bridge.conf"
    static let optionsFile = "/etc/modprobe.d/bridge.conf"
    static let otherFile = "/etc/modprobe.d/capstan-other.conf"

    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(2)
        try await node.sh(
            "rm -f \(Self.loadFile) \(Self.optionsFile) \(Self.otherFile); mkdir -p /etc/modprobe.d /etc/modules-load.d"
                + " && test -d /sys/module/bridge")
        return node
    }

    @Test func builtInModuleIsAlreadyLoaded() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(ModprobeModule.self, ["name": "bridge"])
        #expect(outcome.status == .ok)
        #expect(
            outcome.fields["name"] == "bridge" && outcome.fields["state"] == "present" && outcome.fields["params"] == ""
        )
    }

    @Test func persistenceFilesAreWrittenOnce() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.write("options bridge old=1 # earlier\n", to: Self.otherFile)
        let args: OrderedDictionary<String, Value> = [
            "name": "bridge", "params": "multicast=1 x=2", "persistent": "present",
        ]
        #expect(try await node.run(ModprobeModule.self, args).status == .changed)
        #expect(try await node.sh("cat \(Self.loadFile)") == "bridge")
        #expect(try await node.sh("cat \(Self.optionsFile)") == "options bridge multicast=1\noptions bridge x=2")
        #expect(try await node.sh("cat \(Self.otherFile)") == "#options bridge old=1 # earlier")
        #expect(try await node.run(ModprobeModule.self, args).status == .ok)
        let changedParams: OrderedDictionary<String, Value> = [
            "name": "bridge", "params": "multicast=0", "persistent": "present",
        ]
        #expect(try await node.run(ModprobeModule.self, changedParams).status == .changed)
        #expect(try await node.sh("cat \(Self.optionsFile)") == "options bridge multicast=0")
    }

    @Test func persistentAbsentCommentsOut() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        try await node.write("bridge  # at boot\n", to: Self.loadFile)
        try await node.write("options bridge multicast=1\n", to: Self.optionsFile)
        let args: OrderedDictionary<String, Value> = ["name": "bridge", "persistent": "absent"]
        #expect(try await node.run(ModprobeModule.self, args).status == .changed)
        #expect(
            try await node.sh("cat \(Self.loadFile) \(Self.optionsFile)")
                == "#bridge  # at boot\n#options bridge multicast=1")
        #expect(try await node.run(ModprobeModule.self, args).status == .ok)
    }

    @Test func checkModeWritesNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let args: OrderedDictionary<String, Value> = [
            "name": "bridge", "params": "multicast=1", "persistent": "present",
        ]
        #expect(try await node.run(ModprobeModule.self, args, check: true).status == .changed)
        #expect(try await node.sh("ls \(Self.loadFile) \(Self.optionsFile) 2>/dev/null | wc -l") == "0")
    }

    @Test func moduleThatIsNotLoadedCannotBeLoadedHere() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(ModprobeModule.self, ["name": "capstan_no_such_module"])
        #expect(outcome.status == .failed)
        if try await node.sh("command -v modprobe || true").isEmpty {
            #expect(
                outcome.fields["msg"]?.stringValue?.hasPrefix("Failed to find required executable \"modprobe\"") == true
            )
        }
    }

    @Test func argumentErrors() {
        #expect(argumentError(ModprobeModule.self, [:]) == "missing required arguments: name")
        #expect(
            argumentError(ModprobeModule.self, ["name": "x", "persistent": "yes"])
                == "value of persistent must be one of: disabled, present, absent, got: yes")
        #expect(argumentError(ModprobeModule.self, ["name": "../x"]) == "invalid module name: '../x'")
    }
}
