import CapstanTestSupport
import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `mount` on lab node 1 with an fstab of its own (`fstab:`), so the node's /etc/fstab is never
/// touched; the mounts are tmpfs mounts inside the node's own mount namespace.
@Suite(.serialized) struct MountModuleTests {
    static let fstab = "/root/capstan-fstab"
    static let path = "/mnt/capstan-mount-test"

    func freshNode(_ fstab: String = "# test fstab\n") async throws -> LabNode {
        let node = try await LabNode.open(1)
        try await node.sh(
            "umount \(Self.path) 2>/dev/null; rmdir \(Self.path) /mnt/capstan-deep/a/b /mnt/capstan-deep/a /mnt/capstan-deep"
                + " 2>/dev/null; rm -f \(Self.fstab)*; true")
        try await node.write(fstab, to: Self.fstab)
        return node
    }

    func args(_ extra: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
        var a: OrderedDictionary<String, Value> = [
            "path": .string(Self.path), "src": "tmpfs", "fstype": "tmpfs", "opts": "size=1m",
            "fstab": .string(Self.fstab),
        ]
        a.merge(extra) { _, new in new }
        return a
    }

    @Test func presentAddsTheLineOnce() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(MountModule.self, args(["state": "present"]))
        #expect(first.status == .changed)
        #expect(first.fields["name"] == .string(Self.path) && first.fields["boot"] == "yes")
        #expect(try await node.sh("cat \(Self.fstab)") == "# test fstab\ntmpfs \(Self.path) tmpfs size=1m 0 0")
        #expect(try await node.run(MountModule.self, args(["state": "present"])).status == .ok)
        #expect(try await node.sh("mountpoint -q \(Self.path) || echo no") == "no")
    }

    @Test func editsAMatchingLineAsAnsible() async throws {
        let node = try await freshNode(
            "tmpfs \(Self.path) tmpfs size=1m # four fields\n/dev/x /other ext4 defaults 0 2\n")
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(MountModule.self, args(["state": "present"])).status == .changed)
        #expect(
            try await node.sh("cat \(Self.fstab)")
                == "tmpfs \(Self.path) tmpfs size=1m 0 0\n/dev/x /other ext4 defaults 0 2")
        #expect(try await node.run(MountModule.self, args(["state": "present", "boot": false])).status == .changed)
        #expect(try await node.sh("cat \(Self.fstab) | head -1") == "tmpfs \(Self.path) tmpfs size=1m,noauto 0 0")
        let spaced = try await node.run(MountModule.self, args(["state": "present", "path": "/mnt/a b&c"]))
        #expect(spaced.status == .changed)
        #expect(try await node.sh("tail -1 \(Self.fstab)") == #"tmpfs /mnt/a\040b\046c tmpfs size=1m 0 0"#)
    }

    @Test func swapEntriesAreToldApartBySource() async throws {
        let node = try await freshNode("/swapA none swap sw 0 0\n")
        defer { _Concurrency.Task { await node.close() } }
        let swapB: OrderedDictionary<String, Value> = [
            "path": "none", "src": "/swapB", "fstype": "swap", "opts": "sw", "fstab": .string(Self.fstab),
            "state": "present",
        ]
        #expect(try await node.run(MountModule.self, swapB).status == .changed)
        #expect(try await node.run(MountModule.self, swapB).status == .ok)
        #expect(try await node.sh("cat \(Self.fstab)") == "/swapA none swap sw 0 0\n/swapB none swap sw 0 0")
        let removeA: OrderedDictionary<String, Value> = [
            "path": "none", "src": "/swapA", "fstab": .string(Self.fstab), "state": "absent_from_fstab",
        ]
        #expect(try await node.run(MountModule.self, removeA).status == .changed)
        #expect(try await node.sh("cat \(Self.fstab)") == "/swapB none swap sw 0 0")
    }

    @Test func mountedUnmountedAbsent() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(MountModule.self, args(["state": "mounted"])).status == .changed)
        #expect(
            try await node.sh("findmnt -n -o FSTYPE,OPTIONS \(Self.path) | cut -d, -f1-3")
                == "tmpfs  rw,relatime,size=1024k")
        #expect(try await node.run(MountModule.self, args(["state": "mounted"])).status == .ok)
        #expect(try await node.run(MountModule.self, args(["state": "unmounted"])).status == .changed)
        #expect(try await node.sh("mountpoint -q \(Self.path) || echo no") == "no")
        #expect(try await node.run(MountModule.self, args(["state": "unmounted"])).status == .ok)
        #expect(try await node.run(MountModule.self, args(["state": "mounted"])).status == .changed)
        #expect(try await node.run(MountModule.self, args(["state": "absent"])).status == .changed)
        #expect(try await node.sh("test -e \(Self.path) || echo gone; cat \(Self.fstab)") == "gone\n# test fstab")
    }

    @Test func changedOptionsRemount() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(MountModule.self, args(["state": "mounted"])).status == .changed)
        #expect(try await node.run(MountModule.self, args(["state": "mounted", "opts": "size=2m"])).status == .changed)
        #expect(try await node.sh("findmnt -n -o OPTIONS \(Self.path) | grep -o 'size=[0-9]*k'") == "size=2048k")
        #expect(
            try await node.run(MountModule.self, args(["state": "remounted", "opts": "size=3m"])).status == .changed)
        #expect(try await node.sh("findmnt -n -o OPTIONS \(Self.path) | grep -o 'size=[0-9]*k'") == "size=3072k")
    }

    @Test func checkModeChangesNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let before = try await node.sh("md5sum \(Self.fstab)")
        #expect(try await node.run(MountModule.self, args(["state": "mounted"]), check: true).status == .changed)
        #expect(try await node.sh("md5sum \(Self.fstab); test -e \(Self.path) || echo absent") == before + "\nabsent")
    }

    @Test func failedMountRestoresFstabAndDirectories() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(
            MountModule.self, args(["state": "mounted", "path": "/mnt/capstan-deep/a/b", "fstype": "capstanfs"]))
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"]?.stringValue?.hasPrefix("Error mounting /mnt/capstan-deep/a/b: ") == true)
        #expect(try await node.sh("cat \(Self.fstab); test -e /mnt/capstan-deep || echo gone") == "# test fstab\ngone")
    }

    @Test func backupCopiesTheOldFstab() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(MountModule.self, args(["state": "present", "backup": true]))
        let backup = try #require(outcome.fields["backup_file"]?.stringValue)
        #expect(backup.hasPrefix(Self.fstab + ".") && backup.hasSuffix("~"))
        #expect(try await node.sh("cat '\(backup)'") == "# test fstab")
    }

    @Test func argumentErrors() {
        #expect(
            argumentError(MountModule.self, ["path": "/x", "state": "mounted", "src": "a"])
                == "state is mounted but all of the following are missing: fstype")
        #expect(argumentError(MountModule.self, ["path": "/x"]) == "missing required arguments: state")
        #expect(argumentError(MountModule.self, ["path": "/x", "state": "unmounted"]) == nil)
        #expect(MountModule.escaped(#"a b&c\d"#) == #"a\040b\046c\134d"#)
    }
}
