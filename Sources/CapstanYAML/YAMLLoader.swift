import CapstanBasics
import Foundation

/// Reads Ansible-flavoured YAML: files and strings to located node trees or to `Value`s.
///
/// Use `documents(...)` when positions matter (playbooks, to point at a bad task), and `values(...)`
/// or `value(...)` when only the data does (vars files, inventories).
public enum YAMLLoader {
    /// Every document in `text`, as located trees. `file` is used in locations only.
    public static func documents(text: String, file: String) throws -> [YAMLNode] {
        try YAMLComposer(file: file).documents(from: text)
    }

    /// Every document in `text`, typed as PyYAML's safe loader would.
    public static func values(text: String, file: String, warnings: inout [Warning]) throws -> [Value] {
        let constructor = YAMLConstructor()
        return try documents(text: text, file: file).map { try constructor.value(of: $0, warnings: &warnings) }
    }

    /// The single document of `text` (null for an empty stream); more than one document is an error.
    public static func value(text: String, file: String, warnings: inout [Warning]) throws -> Value {
        let docs = try documents(text: text, file: file)
        guard docs.count <= 1 else {
            throw InputError(
                "expected a single document in the stream, but found another document",
                at: docs[1].location)
        }
        guard let doc = docs.first else { return .null }
        return try YAMLConstructor().value(of: doc, warnings: &warnings)
    }

    /// Reads and loads a file holding one document.
    public static func value(contentsOf path: String, warnings: inout [Warning]) throws -> Value {
        try value(text: try readText(path), file: path, warnings: &warnings)
    }

    /// Reads a file as UTF-8, turning I/O failures into an `InputError` at the file's start.
    public static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read file", at: SourceLocation(file: path, line: 1, column: 1))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("file is not valid UTF-8", at: SourceLocation(file: path, line: 1, column: 1))
        }
        return text
    }
}
