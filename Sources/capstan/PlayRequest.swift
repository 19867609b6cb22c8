import ArgumentParser
import CapstanBasics
import CapstanExecution
import CapstanPlaybook

/// What `capstan play` and the commands that run shipped playbooks (`capstan cluster ...`) hand to
/// the engine: one place that turns options into a `PlaybookRun`, so every command runs playbooks
/// the same way.
struct PlayRequest {
    var inventory: InventoryOptions
    var connection: ConnectionOptions
    var playbooks: [String]
    /// `-e` texts, applied in order (later ones win).
    var extraVars: [String] = []
    var tags: Set<String> = []
    var skipTags: Set<String> = []
    var check = false
    var diff = false
    var startAtTask: String?
    var verbosity = 0
    var rolesPath: [String] = []
    /// Overrides `--limit` when set.
    var limit: String?

    /// The run, with warnings from parsing `-e` added to `warnings`; bad `-e` text exits 65.
    func makeRun(warnings: inout [Warning]) throws -> PlaybookRun {
        var options = PlaybookOptions()
        options.checkMode = check
        options.diffMode = diff
        options.forks = connection.forks
        options.verbosity = verbosity
        options.startAtTask = startAtTask
        options.limit = limit ?? inventory.limit
        options.tags = TagSelection(only: tags.isEmpty ? ["all"] : tags, skip: skipTags)
        do {
            for text in extraVars {
                options.extraVars.merge(try ExtraVars.parse(text, warnings: &warnings)) { $1 }
            }
        } catch {
            throw Diagnostics.fail(error)
        }
        return PlaybookRun(
            inventorySources: inventory.sources, playbooks: playbooks, options: options,
            connectionDefaults: try connection.defaults(),
            roleSearchPaths: rolesPath.flatMap { $0.split(separator: ":").map(String.init) })
    }
}
