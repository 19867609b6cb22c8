// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Capstan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "capstan", targets: ["capstan"]),
        .library(name: "CapstanEngine", targets: ["CapstanEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        /// libssh from Debian's libssh-dev, seen through pkg-config.
        .systemLibrary(
            name: "CLibSSH",
            pkgConfig: "libssh",
            providers: [.apt(["libssh-dev"])]
        ),
        /// The bottom layer: values, diagnostics and the run trace, shell words, globs, bounded fan-out.
        .target(
            name: "CapstanBasics",
            dependencies: [
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        /// YAML 1.1 read the way Ansible's PyYAML reads it: nodes with locations, then values.
        .target(
            name: "CapstanYAML",
            dependencies: [
                "CapstanBasics",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["README.md"]
        ),
        /// Ansible inventories: INI and YAML sources, vars directories, host patterns, connection settings.
        .target(
            name: "CapstanInventory",
            dependencies: [
                "CapstanBasics",
                "CapstanYAML",
                .product(name: "Collections", package: "swift-collections"),
            ],
            exclude: ["README.md"]
        ),
        /// Jinja2 as Ansible renders it: lexer, parser, renderer, filters, tests, lookups, `Templar`.
        .target(
            name: "CapstanTemplating",
            dependencies: [
                "CapstanBasics",
                "CapstanInventory",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["README.md"]
        ),
        /// The engine: playbooks, execution, transport, modules, facts, output.
        .target(
            name: "CapstanEngine",
            dependencies: [
                "CapstanBasics",
                "CapstanInventory",
                "CapstanTemplating",
                "CapstanYAML",
                "CLibSSH",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedNodePrograms"]
        ),
        /// Embeds a target's node-side `.sh` programs as string constants (`NodePrograms`) at build time.
        .plugin(name: "EmbedNodePrograms", capability: .buildTool(), dependencies: ["NodeProgramEmbedder"]),
        /// The plugin's tool: writes the `NodePrograms` source from the `.sh` files; Foundation only.
        .executableTarget(name: "NodeProgramEmbedder"),
        /// The command-line front end: one file per subcommand, no logic of its own.
        .executableTarget(
            name: "capstan",
            dependencies: [
                "CapstanBasics",
                "CapstanEngine",
                "CapstanInventory",
                "CapstanTemplating",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CapstanEngineTests",
            dependencies: [
                "CapstanBasics", "CapstanEngine", "CapstanInventory", "CapstanTemplating", "CapstanYAML",
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
