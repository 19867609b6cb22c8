import CapstanTestSupport
import Collections
import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules
@testable import CapstanTransport

/// `uri` made through a local connection (curl on this machine, as on a node) against a throwaway
/// `python3 -m http.server` on 127.0.0.1, side by side with ansible-playbook's own `uri` module run
/// locally against the same server: the same result keys and values, except the response's date.
@Suite(.serialized) struct UriModuleTests {
    struct ServerDidNotStart: Error { var base: String }

    /// A server on a folder with a text file, a JSON file and a sub-folder (which redirects without
    /// its slash); stopped by its process id.
    final class Server {
        let folder: String
        let pid: pid_t
        let base: String

        init() throws {
            folder = TestScratch.directory + "/capstan-uri-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder + "/tree", withIntermediateDirectories: true)
            try "hello\n".write(toFile: folder + "/hello.txt", atomically: true, encoding: .utf8)
            try #"{"name": "capstan", "list": [1, 2, "three"], "nested": {"ok": true}}"#.write(
                toFile: folder + "/data.json", atomically: true, encoding: .utf8)
            try "inner\n".write(toFile: folder + "/tree/inner.txt", atomically: true, encoding: .utf8)
            let port = 19_000 + Int(getpid() % 900)
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            defer { close(null) }
            pid = try PosixSpawn.start(
                "/usr/bin/python3", ["-m", "http.server", "--bind", "127.0.0.1", "--directory", folder, String(port)],
                stdin: nil, stdout: null, stderr: null, environment: nil)
            base = "http://127.0.0.1:\(port)"
            let probe = try SpawnedProcess.run(
                "/bin/sh",
                [
                    "-c",
                    "for i in $(seq 100); do curl -sf -o /dev/null \(base)/hello.txt && exit 0; sleep 0.1; done; exit 1",
                ])
            if probe.status != 0 {
                stop()
                throw ServerDidNotStart(base: base)
            }
        }

        func stop() {
            kill(pid, SIGTERM)
            _ = PosixSpawn.wait(pid)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// The cases, with `BASE` standing for the server's address.
    static let cases: [OrderedDictionary<String, Value>] = [
        ["url": "BASE/hello.txt"],
        ["url": "BASE/hello.txt", "return_content": true],
        ["url": "BASE/data.json"],
        ["url": "BASE/data.json", "return_content": true, "method": "HEAD"],
        ["url": "BASE/missing"],
        ["url": "BASE/missing", "status_code": [404], "return_content": true],
        ["url": "BASE/tree"],
        ["url": "BASE/tree", "follow_redirects": "none", "status_code": [301, 302]],
        ["url": "BASE/tree", "method": "POST", "body": ["a": 1], "body_format": "json", "status_code": 501],
        ["url": "BASE/hello.txt", "method": "PUT", "body": "x=1", "status_code": ["501"]],
        ["url": "BASE/hello.txt", "creates": "/"],
        ["url": "BASE/hello.txt", "removes": "/capstan-nonexistent"],
        ["url": "http://127.0.0.1:9/refused", "timeout": 2],
    ]

    static let sorted = Value.JSONStyle(sortKeys: true)

    /// Keys whose values change from one request to the next.
    static let varying: Set<String> = ["date", "elapsed", "exception", "invocation"]

    @Test func resultsMatchAnsiblesModule() async throws {
        let server = try Server()
        defer { server.stop() }
        func resolved(_ args: OrderedDictionary<String, Value>) -> OrderedDictionary<String, Value> {
            var out = args
            out["url"] = .string(args["url"]!.stringValue!.replacingOccurrences(of: "BASE", with: server.base))
            return out
        }
        let work = server.folder + "-ansible"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var tasks = ""
        for (i, args) in Self.cases.enumerated() {
            tasks +=
                "    - uri: \(Value.dict(resolved(args)).json())\n      register: r\(i)\n      ignore_errors: true\n"
        }
        let names = Self.cases.indices.map { "r\($0)" }.joined(separator: ", ")
        tasks += "    - copy: {dest: \(work)/out.json, content: \"{{ [\(names)] | to_json }}\"}\n"
        try "- hosts: localhost\n  gather_facts: false\n  tasks:\n\(tasks)".write(
            toFile: work + "/play.yml", atomically: true, encoding: .utf8)
        let oracle = try AnsiblePlaybook.run(
            [
                "-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=/usr/bin/python3",
                work + "/play.yml",
            ])
        try #require(oracle.status == 0, "\(oracle.out)\(oracle.err)")
        let expected = try #require(
            try Value(jsonText: String(contentsOfFile: work + "/out.json", encoding: .utf8)).listValue)
        let connection = LocalConnection()
        for (args, ansible) in zip(Self.cases, expected) {
            let checked = try ModuleArguments(resolved(args), spec: UriModule.spec, module: "uri")
            let outcome = try await UriModule(arguments: checked).run(
                in: ModuleContext(host: "localhost", connection: connection, commandOptions: CommandOptions()))
            var ours = outcome.fields
            var theirs = ansible.dictValue ?? [:]
            for key in Self.varying {
                ours[key] = nil
                theirs[key] = nil
            }
            // ansible-playbook registers `failed: false` on success; a module outcome says only a failure.
            if theirs["failed"] == false { theirs["failed"] = nil }
            #expect(
                Value.dict(ours).json(Self.sorted) == Value.dict(theirs).json(Self.sorted),
                "\(args)\n  capstan: \(Value.dict(ours).json(Self.sorted))\n  ansible: \(Value.dict(theirs).json(Self.sorted))"
            )
        }
    }

    /// A connection that remembers every command and what went to its standard input.
    final class Capture: Connection, @unchecked Sendable {
        let inner = LocalConnection()
        var commands: [(text: String, stdin: String)] = []
        var host: String { "localhost" }
        func connect() async throws {}
        func run(_ command: String, options: CommandOptions) async throws -> CommandResult {
            commands.append((command, String(decoding: options.stdin, as: UTF8.self)))
            return try await inner.run(command, options: options)
        }
        func put(_ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions) async throws
        {
            try await inner.put(contents, to: path, attributes: attributes, options: options)
        }
        func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
            try await inner.get(path, options: options)
        }
        func close() async {}
    }

    @Test func passwordTravelsOnStandardInputOnly() async throws {
        let server = try Server()
        defer { server.stop() }
        let capture = Capture()
        let secret = "s3cr\"et \\pass"
        let checked = try ModuleArguments(
            [
                "url": .string(server.base + "/hello.txt"), "url_username": "me", "url_password": .string(secret),
                "force_basic_auth": true,
            ], spec: UriModule.spec, module: "uri")
        let outcome = try await UriModule(arguments: checked).run(
            in: ModuleContext(host: "localhost", connection: capture))
        #expect(outcome.status == .ok && outcome.fields["status"] == 200)
        #expect(capture.commands.count == 1)
        #expect(!capture.commands.allSatisfy { $0.stdin.isEmpty })
        for command in capture.commands {
            #expect(!command.text.contains("s3cr"))
            #expect(command.stdin.contains(#"s3cr\"et \\pass"#))
        }
    }

    @Test func formBodiesAreEncodedAsAnsibleEncodesThem() throws {
        #expect(try UriModule.formEncoded(["a": "1 2", "b": ["x", "y&z"], "c": .null]) == "a=1+2&b=x&b=y%26z")
        #expect(try UriModule.formEncoded([["k", "v/é"]]) == "k=v%2F%C3%A9")
        #expect(try UriModule.formEncoded("as=is") == "as=is")
    }

    @Test func badArgumentsFailAsAnsibleFails() throws {
        func message(_ args: OrderedDictionary<String, Value>) -> String? {
            do {
                _ = try UriModule(arguments: try ModuleArguments(args, spec: UriModule.spec, module: "uri"))
                return nil
            } catch { return "\(error)" }
        }
        #expect(
            message(["url": "http://x", "method": "get it"])
                == "Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
        #expect(
            message(["url": "http://x", "body": "a", "src": "/b"]) == "parameters are mutually exclusive: body|src")
    }
}
