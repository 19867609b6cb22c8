import CapstanBasics
import CapstanModules
import CapstanTestSupport
import Collections
import Foundation
import Testing

/// Every shipped module's argument check gives, for missing, unknown, mistyped, badly chosen and
/// mutually exclusive arguments (and mixes of them), the message ansible-core's `AnsibleModule` gives
/// for the same spec and parameters (Tests/oracles/module-arguments-expected.py): the same first error.
@Suite struct ModuleArgumentOracleTests {
    /// `reboot` and `wait_for_connection` are not here: they are action plugins in Ansible, which check
    /// their arguments against `_VALID_ARGS` in their own words, not with `AnsibleModule`.
    static let modules: [any Module.Type] = [
        AptModule.self, AptKeyModule.self, AptRepositoryModule.self, AuthorizedKeyModule.self, BlockInFileModule.self,
        CommandModule.self,
        CopyModule.self, Deb822RepositoryModule.self, FetchModule.self, FileModule.self, GetUrlModule.self,
        GroupModule.self, HostnameModule.self, K8sModule.self, KnownHostsModule.self, LineInFileModule.self,
        ModprobeModule.self, MountModule.self, PackageFactsModule.self, PauseModule.self, PingModule.self,
        ReplaceModule.self, ServiceModule.self, ServiceFactsModule.self, SlurpModule.self, StatModule.self,
        SysctlModule.self, SystemdModule.self, SystemdServiceModule.self, UnarchiveModule.self, UserModule.self,
        WaitForModule.self, GetentModule.self, IniFileModule.self, FindModule.self, DpkgSelectionsModule.self,
        TimezoneModule.self, UriModule.self,
    ]

    struct Case {
        let module: String
        let spec: ArgumentSpec
        let params: OrderedDictionary<String, Value>
    }

    @Test func firstErrorMatchesAnsible() throws {
        let cases = Self.modules.flatMap { Self.cases(for: $0.name, $0.spec) }
        let file = TestScratch.directory + "/capstan-module-arguments-\(UUID().uuidString).json"
        defer { unlink(file) }
        let json = "[" + cases.map(Self.json).joined(separator: ",") + "]"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let oracle = Fixtures.packageRoot.appendingPathComponent("Tests/oracles/module-arguments-expected.py").path
        let run = try SpawnedProcess.run(ExperimentFixtures.venv + "/python", [oracle, file])
        try #require(run.status == 0, "\(run.err)")
        let answers = try #require(try Value(jsonText: run.out).listValue)
        try #require(answers.count == cases.count)
        #expect(cases.count > 150)
        var errorsSeen = 0
        for (c, answer) in zip(cases, answers) {
            let expected = answer.stringValue
            if expected != nil { errorsSeen += 1 }
            #expect(
                Self.message(c).map(Self.booleansAsSet) == expected.map(Self.booleansAsSet),
                "\(c.module) with \(Value.dict(c.params).json())")
        }
        #expect(errorsSeen > 100, "the cases should mostly be errors")
    }

    /// Ansible lists the valid booleans from a Python set, in an order that changes from run to run.
    static func booleansAsSet(_ message: String) -> String {
        let marker = "Valid booleans include: "
        guard let range = message.range(of: marker) else { return message }
        let items = message[range.upperBound...].components(separatedBy: ", ").sorted()
        return message[..<range.upperBound] + items.joined(separator: ", ")
    }

    static func message(_ c: Case) -> String? {
        do {
            _ = try ModuleArguments(c.params, spec: c.spec, module: c.module)
            return nil
        } catch let error as ModuleArgumentError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    /// The parameter sets tried on one module: nothing, an unknown name, then each required argument,
    /// choice, type and exclusive group broken in turn alongside an unknown name, and all good.
    static func cases(for module: String, _ spec: ArgumentSpec) -> [Case] {
        var good = OrderedDictionary<String, Value>()
        for def in spec.arguments where def.required { good[def.name] = goodValue(def) }
        var sets: [OrderedDictionary<String, Value>] = [[:], ["capstan_unknown": 1], good]
        var unknownToo = good
        unknownToo["capstan_unknown"] = 1
        sets.append(unknownToo)
        for def in spec.arguments where def.required {
            var params = unknownToo
            params[def.name] = nil
            sets.append(params)
        }
        for def in spec.arguments {
            if def.choices != nil {
                var params = unknownToo
                params[def.name] = "no-such-choice"
                sets.append(params)
            }
            if let bad = badValue(def) {
                var params = unknownToo
                params[def.name] = bad
                sets.append(params)
                if let choice = spec.arguments.first(where: { $0.choices != nil && $0.name != def.name }) {
                    params[choice.name] = "no-such-choice"
                    sets.append(params)
                }
            }
        }
        for group in spec.mutuallyExclusive {
            var params = unknownToo
            for name in group {
                if let def = spec.arguments.first(where: { $0.name == name }) { params[name] = goodValue(def) }
            }
            sets.append(params)
        }
        return sets.map { Case(module: module, spec: spec, params: $0) }
    }

    static func goodValue(_ def: ArgumentDefinition) -> Value {
        if let first = def.choices?.first { return .string(first) }
        switch def.kind {
        case .bool: return true
        case .int: return 1
        case .float: return 1.5
        case .list: return def.options == nil ? ["x"] : []
        case .dict: return def.options == nil ? ["k": "v"] : [:]
        case .string, .path, .raw, .custom: return "x"
        }
    }

    static func badValue(_ def: ArgumentDefinition) -> Value? {
        switch def.kind {
        case .bool: return "maybe"
        case .int: return "abc"
        case .float: return "abc"
        case .dict: return "nope"
        case .string, .path: return ["k": "v"]
        case .list, .raw, .custom: return nil
        }
    }

    /// The case as the oracle reads it: Ansible's `argument_spec` form (custom conversions as `raw`,
    /// which the cases never break).
    static func json(_ c: Case) -> String {
        func spec(_ s: ArgumentSpec) -> Value {
            var out = OrderedDictionary<String, Value>()
            for def in s.arguments {
                var entry: OrderedDictionary<String, Value> = ["type": .string(kindName(def.kind))]
                if def.required { entry["required"] = true }
                if !def.aliases.isEmpty { entry["aliases"] = .list(def.aliases.map { .string($0) }) }
                if let choices = def.choices { entry["choices"] = .list(choices.map { .string($0) }) }
                if let d = def.defaultValue { entry["default"] = d }
                if let e = def.elements { entry["elements"] = .string(kindName(e)) }
                if let o = def.options { entry["options"] = spec(o) }
                out[def.name] = .dict(entry)
            }
            return .dict(out)
        }
        func groups(_ g: [[String]]) -> Value { .list(g.map { .list($0.map { .string($0) }) }) }
        let object: OrderedDictionary<String, Value> = [
            "module": .string(c.module), "spec": spec(c.spec), "params": .dict(c.params),
            "mutually_exclusive": groups(c.spec.mutuallyExclusive), "required_one_of": groups(c.spec.requiredOneOf),
        ]
        return Value.dict(object).json()
    }

    static func kindName(_ kind: ArgumentDefinition.Kind) -> String {
        if case .custom = kind { return "raw" }
        return kind.ansibleName
    }
}
