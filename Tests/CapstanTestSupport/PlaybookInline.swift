import Foundation

@testable import CapstanBasics
@testable import CapstanPlaybook

/// Small playbooks written to a fresh temporary folder, for tests about one rule at a time.
package enum PlaybookInline {
    /// Writes `files` (relative path → text) under a new folder and loads `site.yml` from it.
    package static func load(_ site: String, files: [String: String] = [:], modules: Set<String>? = nil) throws
        -> Playbook
    {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("capstan-pb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files.merging(["site.yml": site], uniquingKeysWith: { $1 }) {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let loader = PlaybookLoader(knownModules: modules ?? PlaybookFixtures.knownModules)
        return try loader.load(path: dir.appendingPathComponent("site.yml").path)
    }

    /// The error loading `site` throws, or nil when it loads.
    package static func error(_ site: String, files: [String: String] = [:]) -> InputError? {
        do {
            _ = try load(site, files: files)
            return nil
        } catch {
            return error as? InputError
        }
    }
}

extension TaskItem {
    /// The task inside, when this item is a plain task.
    package var task: PlaybookTask? {
        if case .task(let t) = self { return t }
        return nil
    }

    /// The block inside, when this item is a block.
    package var block: Block? {
        if case .block(let b) = self { return b }
        return nil
    }
}
