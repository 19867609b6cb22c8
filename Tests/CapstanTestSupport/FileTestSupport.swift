import CapstanModules
import CapstanTransport
import Collections
import Foundation

@testable import CapstanBasics

/// A temporary directory to run file modules in, and a way to run them as a task would.
package final class FileSandbox {
    package let root: URL
    package let connection = RecordingConnection(LocalConnection())

    package init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-files-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The absolute path of `name` inside the sandbox.
    package func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    package func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(name)))
    }

    package func read(_ name: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path(name)))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs a module by name with raw task arguments; round trips are counted from zero.
    package func run(
        _ module: String, _ arguments: OrderedDictionary<String, Value>, check: Bool = false, diff: Bool = false,
        searchPaths: [String]? = nil
    ) async throws -> ModuleOutcome {
        let instance = try ModuleRegistry.standard.instantiate(module, arguments: arguments)
        connection.reset()
        var context = ModuleContext(host: "testhost", connection: connection, checkMode: check, diffMode: diff)
        context.searchPaths = searchPaths ?? [root.path]
        return try await instance.run(in: context)
    }

    /// Every path under the sandbox with its type, mode and content: compared before and after a
    /// check-mode run to prove nothing was touched.
    package func tree() -> [String] {
        var out: [String] = []
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root.path) else { return out }
        for case let relative as String in walker {
            let full = root.appendingPathComponent(relative).path
            let attrs = (try? fm.attributesOfItem(atPath: full)) ?? [:]
            let type = (attrs[.type] as? FileAttributeType)?.rawValue ?? "?"
            let mode = (attrs[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
            let mtime = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let content = type == FileAttributeType.typeRegular.rawValue ? (read(relative) ?? "") : ""
            out.append("\(relative) \(type) \(mode) \(mtime) \(content.debugDescription)")
        }
        return out.sorted()
    }
}

extension ModuleOutcome {
    package var msg: String { fields["msg"]?.stringValue ?? "" }
    package var changed: Bool { status == .changed }
    package var failed: Bool { status == .failed }
}

/// The user the tests run as, for expectations about the owner of files they create.
package enum TestUser {
    /// The effective user's name (`root` in CI).
    package static let name: String = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "root"
    /// Whether the tests run as root: some module behaviour (changing owners, sudo without a password,
    /// writing through a directory without the execute bit) exists only for root.
    package static let isRoot = geteuid() == 0
}
