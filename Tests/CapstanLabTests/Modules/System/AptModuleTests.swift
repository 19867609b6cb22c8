import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `apt` and `package` on lab node 1 against a local repository that Tests/aptrepo/build makes on
/// the node itself (`deb [trusted=yes] file:/srv/capstan-aptrepo ./`). The node's other apt sources
/// are moved aside so that `apt-get update` never leaves the node.
@Suite(.serialized) struct AptModuleTests {
    static let repo = "/srv/capstan-aptrepo"
    static let hello = "capstan-test-hello"
    static let extra = "capstan-test-extra"

    /// Node 1 with the test repository known to apt and neither test package installed.
    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(1)
        let script = try String(
            contentsOf: Fixtures.packageRoot.appendingPathComponent("Tests/aptrepo/build"), encoding: .utf8)
        let built = try await node.connection.run(
            "bash -s \(Self.repo)", options: CommandOptions(stdin: Array(script.utf8)))
        guard built.succeeded else { throw LabNode.CommandFailed(description: "aptrepo/build: \(built.stderrText)") }
        try await node.sh(
            """
            mkdir -p /root/capstan-apt-hidden
            for f in /etc/apt/sources.list /etc/apt/sources.list.d/*; do
                [ -e "$f" ] && [ "$f" != /etc/apt/sources.list.d/capstan-test.list ] && mv "$f" /root/capstan-apt-hidden/
            done
            echo 'deb [trusted=yes] file:\(Self.repo) ./' > /etc/apt/sources.list.d/capstan-test.list
            apt-get -qq update >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get -qq -y purge \(Self.hello) \(Self.extra) >/dev/null 2>&1; true
            """)
        return node
    }

    func version(_ node: LabNode, _ package: String = hello) async throws -> String {
        try await node.sh("dpkg-query -W -f='${db:Status-Abbrev}${Version}' \(package) 2>/dev/null || true")
    }

    @Test func installIsIdempotent() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(AptModule.self, ["name": .string(Self.hello)])
        #expect(first.status == .changed)
        #expect(first.fields["cache_updated"] == false)
        #expect(first.fields["stdout"]?.stringValue?.contains("Setting up \(Self.hello) (1.1)") == true)
        #expect(try await version(node) == "ii 1.1")
        let second = try await node.run(AptModule.self, ["name": .string(Self.hello)])
        #expect(second.status == .ok)
        #expect(second.fields["stdout"] == nil)
    }

    @Test func versionPinLatestAndDowngrade() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let pinned: OrderedDictionary<String, Value> = ["name": .string("\(Self.hello)=1.0")]
        #expect(try await node.run(AptModule.self, pinned).status == .changed)
        #expect(try await version(node) == "ii 1.0")
        #expect(try await node.run(AptModule.self, pinned).status == .ok)
        #expect(
            try await node.run(AptModule.self, ["name": .string(Self.hello), "state": "latest"]).status == .changed)
        #expect(try await version(node) == "ii 1.1")
        #expect(try await node.run(AptModule.self, ["name": .string(Self.hello), "state": "latest"]).status == .ok)
        let refused = try await node.run(AptModule.self, pinned)
        #expect(refused.status == .failed)
        #expect(refused.fields["msg"]?.stringValue?.contains("--allow-downgrades") == true)
        #expect(try await version(node) == "ii 1.1")
        var downgrade = pinned
        downgrade["allow_downgrade"] = true
        #expect(try await node.run(AptModule.self, downgrade).status == .changed)
        #expect(try await version(node) == "ii 1.0")
    }

    /// A held package (`apt-mark hold`, status "hi") is installed: asking for it again, pinned or not,
    /// changes nothing, as in Ansible.
    @Test func heldPackageCountsAsInstalled() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let pinned: OrderedDictionary<String, Value> = ["name": .string("\(Self.hello)=1.0")]
        #expect(try await node.run(AptModule.self, pinned).status == .changed)
        try await node.sh("apt-mark hold \(Self.hello) >/dev/null")
        #expect(try await version(node) == "hi 1.0")
        #expect(try await node.run(AptModule.self, pinned).status == .ok)
        #expect(try await node.run(AptModule.self, ["name": .string(Self.hello)]).status == .ok)
        try await node.sh("apt-mark unhold \(Self.hello) >/dev/null")
    }

    @Test func absentAndPurge() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        _ = try await node.run(AptModule.self, ["name": .list([.string(Self.hello), .string(Self.extra)])])
        let removed = try await node.run(
            AptModule.self, ["name": .string(Self.hello), "state": "absent", "purge": true])
        #expect(removed.status == .changed)
        #expect(removed.fields["cache_updated"] == nil)
        #expect(try await version(node) == "")
        #expect(try await version(node, Self.extra) == "ii 1.0")
        #expect(try await node.run(AptModule.self, ["name": .string(Self.hello), "state": "absent"]).status == .ok)
    }

    @Test func checkModeInstallsNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(AptModule.self, ["name": .string(Self.hello)], check: true).status == .changed)
        #expect(try await version(node) == "")
        _ = try await node.run(AptModule.self, ["name": .string(Self.hello)])
        #expect(
            try await node.run(AptModule.self, ["name": .string(Self.hello), "state": "absent"], check: true).status
                == .changed)
        #expect(try await version(node) == "ii 1.1")
    }

    @Test func updateCacheHonoursCacheValidTime() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let args: OrderedDictionary<String, Value> = ["update_cache": true, "cache_valid_time": 3600]
        let fresh = try await node.run(AptModule.self, args)
        #expect(fresh.status == .ok && fresh.fields["cache_updated"] == false)
        try await node.sh("rm -f /var/lib/apt/lists/*capstan-aptrepo* && touch -d '2 hours ago' /var/lib/apt/lists")
        let stale = try await node.run(AptModule.self, args)
        #expect(stale.status == .changed && stale.fields["cache_updated"] == true)
        let updateTime = stale.fields["cache_update_time"].flatMap { if case .int(let i) = $0 { i } else { nil } } ?? 0
        #expect(abs(updateTime - Int(Date().timeIntervalSince1970)) < 120)
        #expect(try await node.sh("ls /var/lib/apt/lists | grep -c capstan-aptrepo") != "0")
        #expect(try await node.run(AptModule.self, args).status == .ok)
    }

    @Test func heldDpkgLockIsWaitedFor() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        // apt and dpkg lock with fcntl; flock(1) takes a different kind of lock that apt never sees,
        // so the holder uses lockf.
        let hold =
            "setsid python3 -c 'import fcntl, time; f = open(\"/var/lib/dpkg/lock-frontend\", \"w\");"
            + " fcntl.lockf(f, fcntl.LOCK_EX); open(\"/root/capstan-locked\", \"w\"); time.sleep(4)'"
            + " >/dev/null 2>&1 < /dev/null & while [ ! -e /root/capstan-locked ]; do sleep 0.1; done; rm -f /root/capstan-locked"
        try await node.sh(hold)
        let failedFast = try await node.run(AptModule.self, ["name": .string(Self.extra), "lock_timeout": 0])
        #expect(failedFast.status == .failed)
        #expect(failedFast.fields["msg"]?.stringValue?.contains("Could not get lock") == true)
        let clock = ContinuousClock()
        let start = clock.now
        let waited = try await node.run(AptModule.self, ["name": .string(Self.extra), "lock_timeout": 30])
        #expect(waited.status == .changed)
        #expect(clock.now - start >= .seconds(2))
        #expect(try await version(node, Self.extra) == "ii 1.0")
    }

    @Test func debFileAndPackageModule() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let deb: OrderedDictionary<String, Value> = ["deb": .string("\(Self.repo)/\(Self.extra)_1.0_all.deb")]
        #expect(try await node.run(AptModule.self, deb).status == .changed)
        #expect(try await version(node, Self.extra) == "ii 1.0")
        #expect(try await node.run(AptModule.self, deb).status == .ok)
        let viaPackage: OrderedDictionary<String, Value> = ["name": .string(Self.hello), "state": "present"]
        #expect(try await node.run(PackageModule.self, viaPackage).status == .changed)
        #expect(try await node.run(PackageModule.self, viaPackage).status == .ok)
    }

    @Test func missingPackageFailsAsAnsible() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(AptModule.self, ["name": "capstan-test-nothing"])
        #expect(outcome.fields["msg"] == "No package matching 'capstan-test-nothing' is available")
    }

    @Test func argumentErrors() {
        #expect(argumentError(AptModule.self, ["name": "a=1=2"]) == "invalid package spec: a=1=2")
        #expect(
            argumentError(AptModule.self, ["name": "a", "deb": "/x.deb"])
                == "parameters are mutually exclusive: deb|package|upgrade")
        #expect(
            argumentError(AptModule.self, ["deb": "/x.deb", "state": "absent"]) == "deb only supports state=present")
        #expect(
            argumentError(AptModule.self, ["name": "a", "state": "newest"])?.hasPrefix("value of state must be one of:")
                == true)
        // ansible-core's package action hands its arguments to apt, whose state defaults to present.
        #expect(argumentError(PackageModule.self, ["name": "a"]) == nil)
        #expect(
            argumentError(PackageModule.self, ["name": "a", "foo": 1])?.hasPrefix(
                "Unsupported parameters for (ansible.legacy.apt) module: foo.") == true)
        #expect(
            argumentError(PackageModule.self, ["name": "a", "use": "yum"])
                == "Could not find a matching action for the \"yum\" package manager.")
    }
}
