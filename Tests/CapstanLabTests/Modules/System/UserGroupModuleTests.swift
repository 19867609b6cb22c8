import CapstanTestSupport
import Collections
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `user` and `group` on lab node 1 with accounts of their own (capstan-u1, capstan-g1, capstan-g2).
@Suite(.serialized) struct UserGroupModuleTests {
    /// A SHA-512 crypt hash (of "capstan"), made once with `openssl passwd -6 -salt capstansalt capstan`.
    static let hash =
        "$6$capstansalt$tcPkS682kkhyMxbUejZhomJhUJ4//9ug.hG2HMamyGDE/pxC8R1afE6nRGPYvDO/hCba7R4M6ze/aelnLjSmy/"

    func freshNode() async throws -> LabNode {
        let node = try await LabNode.open(1)
        try await node.sh(
            "userdel -r capstan-u1 2>/dev/null; groupdel capstan-u1 2>/dev/null; groupdel capstan-g1 2>/dev/null;"
                + " groupdel capstan-g2 2>/dev/null; rm -rf /home/capstan-u1 /srv/capstan-home; true")
        return node
    }

    @Test func groupIsCreatedOnceAndItsGidChanged() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let first = try await node.run(GroupModule.self, ["name": "capstan-g1", "gid": 4711])
        #expect(first.status == .changed)
        #expect(first.fields["gid"] == 4711 && first.fields["system"] == false && first.fields["state"] == "present")
        #expect(try await node.sh("getent group capstan-g1 | cut -d: -f3") == "4711")
        #expect(try await node.run(GroupModule.self, ["name": "capstan-g1", "gid": 4711]).status == .ok)
        #expect(try await node.run(GroupModule.self, ["name": "capstan-g1", "gid": 4712]).status == .changed)
        #expect(try await node.sh("getent group capstan-g1 | cut -d: -f3") == "4712")
        #expect(try await node.run(GroupModule.self, ["name": "capstan-g1", "state": "absent"]).status == .changed)
        #expect(try await node.run(GroupModule.self, ["name": "capstan-g1", "state": "absent"]).status == .ok)
        #expect(try await node.sh("getent group capstan-g1 || echo none") == "none")
    }

    @Test func groupCheckModeChangesNothing() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let predicted = try await node.run(GroupModule.self, ["name": "capstan-g1"], check: true)
        #expect(predicted.status == .changed)
        #expect(try await node.sh("getent group capstan-g1 || echo none") == "none")
    }

    @Test func userIsCreatedOnceWithEverything() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        _ = try await node.run(GroupModule.self, ["name": "capstan-g1"])
        _ = try await node.run(GroupModule.self, ["name": "capstan-g2"])
        let args: OrderedDictionary<String, Value> = [
            "name": "capstan-u1", "uid": 4801, "groups": "capstan-g1", "shell": "/bin/sh", "comment": "Capstan test",
            "password": .string(Self.hash),
        ]
        let first = try await node.run(UserModule.self, args)
        #expect(first.status == .changed)
        #expect(
            first.fields["uid"] == 4801 && first.fields["home"] == "/home/capstan-u1"
                && first.fields["shell"] == "/bin/sh")
        #expect(first.fields["password"] == "NOT_LOGGING_PASSWORD" && first.fields["create_home"] == true)
        #expect(
            try await node.sh("getent passwd capstan-u1")
                == "capstan-u1:x:4801:4801:Capstan test:/home/capstan-u1:/bin/sh")
        #expect(try await node.sh("id -nG capstan-u1") == "capstan-u1 capstan-g1")
        #expect(try await node.sh("getent shadow capstan-u1 | cut -d: -f2") == Self.hash)
        #expect(try await node.sh("test -d /home/capstan-u1 && stat -c %U /home/capstan-u1") == "capstan-u1")
        let second = try await node.run(UserModule.self, args)
        #expect(second.status == .ok)
        #expect(second.fields["append"] == false && second.fields["groups"] == "capstan-g1")
    }

    @Test func groupsReplaceOrAppend() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        _ = try await node.run(GroupModule.self, ["name": "capstan-g1"])
        _ = try await node.run(GroupModule.self, ["name": "capstan-g2"])
        _ = try await node.run(UserModule.self, ["name": "capstan-u1", "groups": ["capstan-g1"]])
        let appended = try await node.run(
            UserModule.self, ["name": "capstan-u1", "groups": ["capstan-g2"], "append": true])
        #expect(appended.status == .changed)
        #expect(try await node.sh("id -nG capstan-u1") == "capstan-u1 capstan-g1 capstan-g2")
        #expect(
            try await node.run(UserModule.self, ["name": "capstan-u1", "groups": ["capstan-g2"], "append": true]).status
                == .ok)
        #expect(
            try await node.run(UserModule.self, ["name": "capstan-u1", "groups": ["capstan-g2"]]).status == .changed)
        #expect(try await node.sh("id -nG capstan-u1") == "capstan-u1 capstan-g2")
        #expect(try await node.run(UserModule.self, ["name": "capstan-u1", "groups": ""]).status == .changed)
        #expect(try await node.sh("id -nG capstan-u1") == "capstan-u1")
    }

    @Test func userCheckModeAndRemoval() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        #expect(try await node.run(UserModule.self, ["name": "capstan-u1"], check: true).status == .changed)
        #expect(try await node.sh("getent passwd capstan-u1 || echo none") == "none")
        _ = try await node.run(UserModule.self, ["name": "capstan-u1"])
        let before = try await node.sh("getent passwd capstan-u1; getent shadow capstan-u1")
        let modify: OrderedDictionary<String, Value> = [
            "name": "capstan-u1", "shell": "/bin/false", "password": .string(Self.hash),
        ]
        #expect(try await node.run(UserModule.self, modify, check: true).status == .changed)
        #expect(try await node.sh("getent passwd capstan-u1; getent shadow capstan-u1") == before)
        #expect(
            try await node.run(UserModule.self, ["name": "capstan-u1", "state": "absent", "remove": true], check: true)
                .status == .changed)
        #expect(try await node.sh("getent passwd capstan-u1 >/dev/null && echo present") == "present")
        let removed = try await node.run(UserModule.self, ["name": "capstan-u1", "state": "absent", "remove": true])
        #expect(removed.status == .changed && removed.fields["remove"] == true)
        #expect(try await node.sh("getent passwd capstan-u1 || test -e /home/capstan-u1 || echo gone") == "gone")
        #expect(try await node.run(UserModule.self, ["name": "capstan-u1", "state": "absent"]).status == .ok)
    }

    @Test func missingGroupFailsAsAnsible() async throws {
        let node = try await freshNode()
        defer { _Concurrency.Task { await node.close() } }
        let outcome = try await node.run(UserModule.self, ["name": "capstan-u1", "group": "capstan-no-group"])
        #expect(outcome.status == .failed)
        #expect(outcome.fields["msg"] == "Group capstan-no-group does not exist")
    }

    @Test func passwordNeverInTheCommandLine() async throws {
        final class Recorder: Connection, @unchecked Sendable {
            let host = "recorder"
            var commands: [String] = []
            func connect() async throws {}
            func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
                commands.append(command)
                return CommandResult(
                    exitStatus: 0, signal: nil, stdout: Array("changed=0\n".utf8), stderr: [], duration: .zero)
            }
            func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions)
                async throws
            {}
            func get(_ path: String, options: CommandOptions) async throws -> [UInt8] { [] }
            func close() async {}
        }
        let recorder = Recorder()
        let module = try UserModule(
            arguments: ModuleArguments(
                ["name": "u", "password": .string(Self.hash)], spec: UserModule.spec, module: "user"))
        _ = try await module.run(in: ModuleContext(host: "r", connection: recorder))
        #expect(recorder.commands.count == 1)
        #expect(!recorder.commands[0].contains("capstansalt"))
    }

    @Test func argumentErrors() {
        #expect(argumentError(UserModule.self, ["uid": 5]) == "missing required arguments: name")
        #expect(
            argumentError(UserModule.self, ["name": "x", "uid": "abc"])?.contains("unable to convert to int") == true)
        #expect(
            argumentError(GroupModule.self, ["name": "x", "non_unique": true])
                == "non_unique is True but all of the following are missing: gid")
    }
}
