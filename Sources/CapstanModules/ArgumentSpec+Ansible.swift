import CapstanBasics
import Collections

/// A spec written the way Ansible writes one (a role's `argument_specs` entry point `options`, or the
/// `argument_spec` of `validate_argument_spec`) that cannot be read.
public struct ArgumentSpecError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the option.
    public var message: String
    /// The message.
    public var description: String { message }
}

extension ArgumentSpec {
    /// Reads an Ansible `options` mapping: each option's `type` (default `str`), `required`, `default`,
    /// `choices`, `aliases`, `elements` and nested `options`; documentation keys are ignored.
    public init(ansibleOptions options: OrderedDictionary<String, Value>) throws {
        var arguments: [ArgumentDefinition] = []
        for (name, attributes) in options {
            guard let attrs = attributes.dictValue else {
                throw ArgumentSpecError(message: "the spec of option '\(name)' must be a mapping")
            }
            func kind(_ key: String) throws -> ArgumentDefinition.Kind? {
                guard let written = attrs[key], written != .null else { return nil }
                guard let text = written.stringValue, let kind = ArgumentDefinition.Kind(ansibleName: text) else {
                    throw ArgumentSpecError(message: "option '\(name)' has an unknown \(key): \(written.pythonString)")
                }
                return kind
            }
            var def = ArgumentDefinition(name, try kind("type") ?? .string)
            def.required = attrs["required"]?.isTruthy ?? false
            def.defaultValue = attrs["default"].flatMap { $0 == .null ? nil : $0 }
            def.choices = attrs["choices"]?.listValue?.map(\.pythonString)
            def.aliases = attrs["aliases"]?.listValue?.compactMap(\.stringValue) ?? []
            def.elements = try kind("elements")
            if let nested = attrs["options"]?.dictValue { def.options = try ArgumentSpec(ansibleOptions: nested) }
            arguments.append(def)
        }
        self.init(arguments)
    }
}
