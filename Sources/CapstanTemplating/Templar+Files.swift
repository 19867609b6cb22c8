import CapstanBasics
import Foundation

/// The template module's side: rendering a template file, with includes found next to it or on a search path.
extension Templar {
    /// Reads and renders the template file at `path` as Ansible's template module does (trim_blocks on,
    /// trailing newlines kept, a lone non-string value as its text). `{% include %}` looks in `searchPath`, then in the file's own folder.
    /// Errors carry `path` and the line within the file.
    public func renderFile(
        at path: String, scope: VariableScope, searchPath: [String] = [], options: TemplateOptions = .ansible
    ) throws -> String {
        let source: String
        do {
            source = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TemplateError(
                "could not read template file '\(path)'", origin: SourceLocation(file: path, line: 1, column: 1))
        }
        let folders = searchPath + [(path as NSString).deletingLastPathComponent]
        let loader: (String) throws -> String? = { name in
            for folder in folders {
                let candidate = name.hasPrefix("/") ? name : (folder as NSString).appendingPathComponent(name)
                if let text = try? String(contentsOfFile: candidate, encoding: .utf8) { return text }
            }
            return nil
        }
        let template = try compile(source, options: options, origin: SourceLocation(file: path, line: 1, column: 1))
        return try template.renderFileText(scope, environment: environment, loader: loader)
    }
}
