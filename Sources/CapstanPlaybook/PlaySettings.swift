import CapstanBasics
import CapstanYAML
import Collections

extension PlaybookParser {
    /// `serial:`: a number, a percentage, a template, or a list of those.
    func serial(_ node: YAMLNode) throws -> [SerialBatch] {
        let nodes = node.items ?? [node]
        return try nodes.map { item in
            switch try reader.value(item) {
            case .int(let i): return .count(i)
            case .string(let s) where NodeReader.isTemplate(s): return .template(s)
            case .string(let s) where s.hasSuffix("%"):
                // Past 100% a batch is every host, as in Ansible; NaN and infinity are no size at all.
                guard let d = Double(String(s.dropLast()).trimmingWhitespace()), d.isFinite else { break }
                return .percent(min(d, 100))
            case .string(let s):
                guard let i = Int(s.trimmingWhitespace()) else { break }
                return .count(i)
            default: break
            }
            throw InputError(
                "serial must be a number, a percentage such as \"30%\", or a list of those", at: item.location)
        }
    }

    /// A percentage keyword: a number or `"20%"`.
    func percent(_ node: YAMLNode, _ keyword: String) throws -> Templated<Double> {
        if case .string(let s) = try reader.value(node), s.hasSuffix("%"), let d = Double(s.dropLast()) {
            return .value(d)
        }
        return try reader.double(node, keyword)
    }

    /// `vars_files:`: names, or lists of names of which the first found is read.
    func varsFiles(_ node: YAMLNode) throws -> [VarsFile] {
        let nodes = node.items ?? [node]
        return try nodes.map { item in
            if item.items != nil { return .firstFound(try reader.stringList(item, "vars_files"), item.location) }
            return .file(try reader.string(item, "vars_files"), item.location)
        }
    }

    /// `vars_prompt:`: a list of mappings with at least `name`.
    func varsPrompt(_ node: YAMLNode) throws -> [VarsPrompt] {
        if case .scalar = node.kind, try reader.value(node) == .null { return [] }
        guard let items = node.items else {
            throw InputError("Invalid vars_prompt data structure, expected a list of mappings", at: node.location)
        }
        return try items.map { item in
            guard case .dict(let d) = try reader.value(item) else {
                throw InputError(
                    "Invalid vars_prompt data structure, found unsupported data type in the list",
                    at: item.location)
            }
            guard case .string(let name)? = d["name"] else {
                throw InputError("Invalid vars_prompt data structure, missing 'name' key", at: item.location)
            }
            let isPrivate: Bool
            switch d["private"] {
            case .bool(let b)?: isPrivate = b
            case .string(let s)?: isPrivate = NodeReader.boolean(s) ?? true
            default: isPrivate = true
            }
            return VarsPrompt(
                name: name, prompt: d["prompt"]?.stringValue, defaultValue: d["default"],
                isPrivate: isPrivate, location: item.location)
        }
    }
}
