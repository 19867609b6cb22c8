import PackagePlugin

/// Turns a target's `.sh` files (node-side programs) into one generated Swift source, `NodePrograms.swift`,
/// holding each program's exact text as a string constant, so that the programs stay real files that
/// shellcheck reads while the `capstan` binary stays one file (no resource bundle beside it).
@main
struct EmbedNodePrograms: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        // `.py` files are controller-side helpers (the module fallback's packer), embedded the same way.
        let shell = target.sourceFiles(withSuffix: "sh").map(\.url)
        let programs = (shell + target.sourceFiles(withSuffix: "py").map(\.url)).sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "NodePrograms.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(programs.count) node programs of \(target.name)",
                executable: try context.tool(named: "NodeProgramEmbedder").url,
                arguments: [output.path] + programs.map(\.path),
                inputFiles: programs,
                outputFiles: [output]
            )
        ]
    }
}
