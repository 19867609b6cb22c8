import CapstanTestSupport
import Collections
import Foundation

@testable import CapstanBasics
@testable import CapstanExecution
@testable import CapstanModules
@testable import CapstanPlaybook
@testable import CapstanTemplating
@testable import CapstanTransport

/// Runs a controller action for one host outside the engine: fixed variables, a local connection,
/// and the arguments as the engine would pass them (already templated), checked as the engine checks
/// them (an argument error is the failed result the engine would report).
enum ActionHarness {
    static func context(
        _ arguments: OrderedDictionary<String, Value>, vars: OrderedDictionary<String, Value> = [:],
        verbosity: Int = 0, searchPaths: [String] = [], checkMode: Bool = false, diffMode: Bool = false,
        taskFile: String = "/nonexistent/playbook.yml"
    ) -> ControllerActionContext {
        ControllerActionContext(
            host: "localhost",
            task: PlaybookTask(
                action: "test", arguments: arguments, location: SourceLocation(file: taskFile, line: 1, column: 3)),
            scope: DictionaryScope(vars), templar: Templar(),
            connection: LocalConnection(host: "localhost"), commandOptions: CommandOptions(), checkMode: checkMode,
            diffMode: diffMode, searchPaths: searchPaths, modules: ModuleRegistry.standard, verbosity: verbosity)
    }

    static func run<A: ControllerAction>(
        _ action: A.Type, _ arguments: OrderedDictionary<String, Value>, vars: OrderedDictionary<String, Value> = [:],
        verbosity: Int = 0, searchPaths: [String] = [], checkMode: Bool = false, diffMode: Bool = false,
        taskFile: String = "/nonexistent/playbook.yml"
    ) async throws -> ControllerActionResult {
        try await A.run(
            arguments,
            in: context(
                arguments, vars: vars, verbosity: verbosity, searchPaths: searchPaths, checkMode: checkMode,
                diffMode: diffMode, taskFile: taskFile))
    }

    /// A fresh temporary folder.
    static func tempDir() throws -> String {
        let path = TestScratch.directory + "/capstan-actions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
