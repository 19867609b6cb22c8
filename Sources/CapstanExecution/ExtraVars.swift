import CapstanBasics
import CapstanPlaybook
import CapstanYAML
import Collections
import OrderedCollections

/// `-e` / `--extra-vars` values: `@file` (YAML or JSON), inline YAML/JSON mappings, or `k=v` words.
public enum ExtraVars {
    /// Parses one `-e` argument.
    public static func parse(_ text: String, warnings: inout [Warning]) throws -> OrderedDictionary<
        String, Value
    > {
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            let value = try YAMLLoader.value(contentsOf: path, warnings: &warnings)
            return try mapping(value, what: path)
        }
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") || trimmed.hasPrefix("---") {
            return try mapping(
                try YAMLLoader.value(text: trimmed, file: "<extra vars>", warnings: &warnings), what: text)
        }
        var result = OrderedDictionary<String, Value>()
        for (k, v) in try FreeFormArguments.parse(text) { result[k] = .string(v) }
        return result
    }

    private static func mapping(_ value: Value, what: String) throws -> OrderedDictionary<
        String, Value
    > {
        if value == .null { return [:] }
        guard case .dict(let d) = value else {
            throw InputError(
                "Invalid extra vars data supplied. '\(what)' could not be made into a dictionary",
                at: SourceLocation(file: "<extra vars>", line: 1, column: 1))
        }
        return d
    }
}
