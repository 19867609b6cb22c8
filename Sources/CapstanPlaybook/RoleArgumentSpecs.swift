import CapstanBasics
import Collections

/// A role's argument specs (`meta/argument_specs.yml`, else the `argument_specs` key of
/// `meta/main.yml`): one spec per entry point (`main`, or a `tasks_from` name). As ansible-core does,
/// a role whose entry point has a spec runs `validate_argument_spec` before its own tasks.
struct RoleArgumentSpecs {
    /// The specs by entry point, as written.
    var entryPoints: OrderedDictionary<String, Value>
    /// The file they were read from.
    var location: SourceLocation

    /// The validation task Ansible prepends for `entryPoint`, or nil when that entry point has no spec.
    /// Its name is "Validating arguments against arg spec '<entry>' - <short_description>"; it is
    /// tagged `always` and checks the role's variables and parameters against the entry's `options`.
    func validationTask(
        entryPoint: String, role: RoleScope, params: OrderedDictionary<String, Value>
    ) -> PlaybookTask? {
        guard let spec = entryPoints[entryPoint], spec.isTruthy else { return nil }
        var name = "Validating arguments against arg spec '\(entryPoint)'"
        if let description = spec["short_description"] { name += " - \(description.pythonString)" }
        let context: OrderedDictionary<String, Value> = [
            "type": "role", "name": .string(role.name), "argument_spec_name": .string(entryPoint),
            "path": .string(role.path),
        ]
        var task = PlaybookTask(
            action: "validate_argument_spec", actionAsWritten: "ansible.builtin.validate_argument_spec",
            arguments: [
                "argument_spec": spec["options"] ?? .dict([:]), "provided_arguments": .dict(params),
                "validate_args_context": .dict(context),
            ],
            location: location)
        task.keywords.name = name
        task.keywords.tags = ["always"]
        task.role = role
        return task
    }
}

extension PlaybookParser {
    /// The role's argument specs: `meta/argument_specs.yml` (or `.yaml`, `.json`) when it exists, its
    /// `argument_specs` key (nothing when the key is missing), else `fromMeta`, the key in `meta/main.yml`.
    func roleArgumentSpecs(_ path: String, fromMeta: (Value, SourceLocation)?) throws -> RoleArgumentSpecs? {
        let base = path + "/meta/argument_specs"
        if let file = [".yml", ".yaml", ".json"].map({ base + $0 }).first(where: Paths.isFile) {
            guard let doc = try document(file, from: nil) else { return nil }
            let specs = try reader.value(doc)["argument_specs"]?.dictValue ?? [:]
            return RoleArgumentSpecs(entryPoints: specs, location: doc.location)
        }
        guard let (value, location) = fromMeta, let specs = value.dictValue else { return nil }
        return RoleArgumentSpecs(entryPoints: specs, location: location)
    }
}
