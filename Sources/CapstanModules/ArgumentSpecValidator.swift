import CapstanBasics
import Collections

/// Checks a mapping of values against an `ArgumentSpec` and reports every problem, in the order and
/// words of Ansible's `ArgumentSpecValidator` (required, types and list elements, choices, then the
/// `options` of dicts, then unknown names). Role argument specs and `validate_argument_spec` use it;
/// modules stop at the first problem with `ModuleArguments`.
public struct ArgumentSpecValidator: Sendable {
    /// The spec checked against.
    public var spec: ArgumentSpec

    /// A validator for `spec`.
    public init(_ spec: ArgumentSpec) { self.spec = spec }

    /// What a validation found.
    public struct Result: Sendable {
        /// The values after aliases, defaults and conversion.
        public var values: OrderedDictionary<String, Value>
        /// One message per problem; empty when the values pass.
        public var errors: [String]
    }

    /// Validates `parameters`.
    public func validate(_ parameters: OrderedDictionary<String, Value>) -> Result {
        var run = Run()
        let values = run.check(spec, parameters, context: [])
        if !run.unsupported.isEmpty {
            let names = run.unsupported.sorted().joined(separator: ", ")
            run.errors.append("\(names). Supported parameters include: \(run.supported.joined(separator: ", ")).")
        }
        return Result(values: values, errors: run.errors)
    }

    /// The state of one validation, shared by the nested `options` checks.
    private struct Run {
        var errors: [String] = []
        var unsupported = Set<String>()
        var supported: [String] = []

        mutating func check(_ spec: ArgumentSpec, _ given: OrderedDictionary<String, Value>, context: [String])
            -> OrderedDictionary<String, Value>
        {
            var params = given
            var legal = Set<String>()
            for def in spec.arguments {
                legal.insert(def.name)
                for alias in def.aliases {
                    legal.insert(alias)
                    if let value = params[alias] { params[def.name] = value }
                }
            }
            do {
                try Self.checkShapes(spec, params)
            } catch let failure as ArgumentConversion.Failure {
                errors.append(failure.reason)
            } catch {}
            for key in params.keys where !legal.contains(key) {
                unsupported.insert((context + [key]).joined(separator: "."))
                supported = spec.arguments.map(\.name).sorted()
            }
            for def in spec.arguments where params[def.name] == nil {
                if let value = def.defaultValue { params[def.name] = value }
            }
            let missing = spec.arguments.filter { $0.required && params[$0.name] == nil }.map(\.name).sorted()
            if !missing.isEmpty {
                errors.append(Self.within("missing required arguments: \(missing.joined(separator: ", "))", context))
            }
            for def in spec.arguments { convert(def, &params, context: context) }
            for def in spec.arguments { choose(def, params, context: context) }
            for def in spec.arguments where params[def.name] == nil { params[def.name] = def.defaultValue ?? .null }
            for def in spec.arguments {
                guard let options = def.options, def.kind == .dict || (def.kind == .list && def.elements == .dict),
                    let value = params[def.name], value != .null
                else { continue }
                let items = value.listValue ?? [value]
                var checked: [Value] = []
                for item in items {
                    guard let dict = item.dictValue else {
                        errors.append("value of '\(def.name)' must be of type dict or list of dicts")
                        checked.append(item)
                        continue
                    }
                    checked.append(.dict(check(options, dict, context: context + [def.name])))
                }
                params[def.name] = value.listValue == nil ? checked[0] : .list(checked)
            }
            return params
        }

        /// Ansible looks at the dicts under `options` first (while it lists `no_log` values): a string
        /// must parse as a dict and anything else must be one; the first problem is reported.
        static func checkShapes(_ spec: ArgumentSpec, _ params: OrderedDictionary<String, Value>) throws {
            for def in spec.arguments {
                guard let options = def.options, def.kind == .dict || (def.kind == .list && def.elements == .dict),
                    let value = params[def.name], value != .null
                else { continue }
                for written in value.listValue ?? [value] {
                    let item = written.stringValue == nil ? written : try ArgumentConversion.check(written, .dict)
                    guard let dict = item.dictValue else {
                        throw ArgumentConversion.Failure(
                            reason: "Value '\(item.pythonString)' in the sub parameter field '\(def.name)' must be a "
                                + "\(def.kind.ansibleName), not '\(item.pythonTypeName)'")
                    }
                    try checkShapes(options, dict)
                }
            }
        }

        /// Converts one value to its kind (and its elements to theirs), recording failures.
        mutating func convert(
            _ def: ArgumentDefinition, _ params: inout OrderedDictionary<String, Value>, context: [String]
        ) {
            guard let value = params[def.name] else { return }
            if value == .null && !def.required && def.defaultValue == nil { return }
            let found = context.isEmpty ? "" : " found in '\(context.joined(separator: " -> "))'."
            do {
                let converted = try ArgumentConversion.check(value, def.kind)
                params[def.name] = converted
                guard let kind = def.elements else { return }
                guard let elements = converted.listValue else {
                    errors.append(
                        "Invalid type \(def.kind.ansibleName) for option '\(converted.pythonString)'\(found)"
                            + ", elements value check is supported only with 'list' type")
                    return
                }
                var kept: [Value] = []
                for element in elements {
                    do {
                        kept.append(try ArgumentConversion.check(element, kind))
                    } catch let failure as ArgumentConversion.Failure {
                        let inside = context.isEmpty ? "" : " found in '\(context.joined(separator: " -> "))'"
                        errors.append(
                            "Elements value for option '\(def.name)'\(inside) is of type \(element.pythonTypeName) "
                                + "and we were unable to convert to \(kind.ansibleName): \(failure.reason)")
                    } catch {}
                }
                params[def.name] = .list(kept)
            } catch let failure as ArgumentConversion.Failure {
                errors.append(
                    "argument '\(def.name)' is of type \(value.pythonTypeName)\(found) and we were unable to "
                        + "convert to \(def.kind.ansibleName): \(failure.reason)")
            } catch {}
        }

        /// Checks a value against the definition's `choices`.
        mutating func choose(_ def: ArgumentDefinition, _ params: OrderedDictionary<String, Value>, context: [String]) {
            guard let choices = def.choices, let value = params[def.name] else { return }
            let allowed = choices.joined(separator: ", ")
            if let items = value.listValue {
                let others = items.map(\.pythonString).filter { !choices.contains($0) }
                if !others.isEmpty {
                    errors.append(
                        Self.within(
                            "value of \(def.name) must be one or more of: \(allowed). Got no match for: "
                                + others.joined(separator: ", "), context))
                }
            } else if !choices.contains(value.pythonString) {
                errors.append(
                    Self.within("value of \(def.name) must be one of: \(allowed), got: \(value.pythonString)", context))
            }
        }

        /// A message with Ansible's " found in a -> b" for a nested option.
        static func within(_ message: String, _ context: [String]) -> String {
            context.isEmpty ? message : "\(message) found in \(context.joined(separator: " -> "))"
        }
    }
}
