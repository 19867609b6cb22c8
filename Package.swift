// swift-tools-version:6.0
import PackageDescription

// The library targets form one flow, each importing only those below it:
// Basics → YAML → Inventory → Templating; YAML → Playbook; Transport and Results → Modules;
// Playbook and Results → Output; all of these → Execution → Cluster → the `capstan` executable.
let package = Package(
    name: "Capstan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "capstan", targets: ["capstan"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        /// Playbooks as data: plays, blocks, tasks, roles, includes and their keywords, read with locations.
        .target(
            name: "CapstanPlaybook",
            dependencies: [
                "CapstanBasics",
                "CapstanYAML",
                .product(name: "Collections", package: "swift-collections"),
            ],
            exclude: ["README.md"]
        ),
        /// Reaching hosts: the `Connection` protocol, SSH over libssh, local, become, the connection keeper.
        .target(
            name: "CapstanTransport",
            dependencies: [
                "CapstanBasics",
                "CLibSSH",
            ],
            exclude: ["README.md"],
            plugins: ["EmbedNodePrograms"]
        ),
        /// What a task did on a host: statuses, per-host results and run statistics.
        .target(
            name: "CapstanResults",
            dependencies: [
                "CapstanBasics",
                .product(name: "Collections", package: "swift-collections"),
            ],
            exclude: ["README.md"]
        ),
        /// The task kinds that run on hosts (`command`, `copy`, `apt`, ...) and fact gathering.
        .target(
            name: "CapstanModules",
            dependencies: [
                "CapstanBasics",
                "CapstanResults",
                "CapstanTransport",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"],
            plugins: ["EmbedNodePrograms"]
        ),
        /// What people and machines see of a run: terminal output, JSON lines, diffs, the run journal.
        .target(
            name: "CapstanOutput",
            dependencies: [
                "CapstanBasics",
                "CapstanPlaybook",
                "CapstanResults",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["README.md"]
        ),
        /// Running plays: variables, loops, conditions, handlers, strategies, controller actions, ad hoc.
        .target(
            name: "CapstanExecution",
            dependencies: [
                "CapstanBasics",
                "CapstanInventory",
                "CapstanModules",
                "CapstanOutput",
                "CapstanPlaybook",
                "CapstanResults",
                "CapstanTemplating",
                "CapstanTransport",
                "CapstanYAML",
                .product(name: "Collections", package: "swift-collections"),
            ],
            exclude: ["README.md"]
        ),
        /// The cluster on top: cluster state and kubectl, the ML layer's checks, the experiment launcher.
        .target(
            name: "CapstanCluster",
            dependencies: [
                "CapstanBasics",
                "CapstanExecution",
                "CapstanInventory",
                "CapstanTemplating",
                "CapstanTransport",
                "CapstanYAML",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
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
                "CapstanCluster",
                "CapstanExecution",
                "CapstanInventory",
                "CapstanModules",
                "CapstanOutput",
                "CapstanPlaybook",
                "CapstanResults",
                "CapstanTemplating",
                "CapstanTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        /// What the test targets share: fixture paths and readers, spawned processes, the built binary, recorders.
        .target(
            name: "CapstanTestSupport",
            dependencies: [
                "CapstanBasics", "CapstanCluster", "CapstanInventory", "CapstanModules", "CapstanOutput",
                "CapstanPlaybook", "CapstanResults", "CapstanTransport", "CapstanYAML",
                .product(name: "Collections", package: "swift-collections"),
            ],
            path: "Tests/CapstanTestSupport"
        ),
        // Unit tests, one target per library target: no root, network, lab or sshd.
        .testTarget(name: "CapstanBasicsTests", dependencies: ["CapstanBasics", "CapstanTestSupport"]),
        .testTarget(name: "CapstanYAMLTests", dependencies: ["CapstanBasics", "CapstanYAML", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanInventoryTests",
            dependencies: ["CapstanBasics", "CapstanInventory", "CapstanYAML", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanTemplatingTests",
            dependencies: ["CapstanBasics", "CapstanInventory", "CapstanTemplating", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanPlaybookTests",
            dependencies: ["CapstanBasics", "CapstanPlaybook", "CapstanYAML", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanTransportTests", dependencies: ["CapstanBasics", "CapstanTransport", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanModulesTests",
            dependencies: [
                "CapstanBasics", "CapstanModules", "CapstanResults", "CapstanTransport", "CapstanTestSupport",
            ]),
        .testTarget(
            name: "CapstanOutputTests",
            dependencies: ["CapstanBasics", "CapstanOutput", "CapstanPlaybook", "CapstanResults", "CapstanTestSupport"]),
        .testTarget(
            name: "CapstanExecutionTests",
            dependencies: [
                "CapstanBasics", "CapstanExecution", "CapstanInventory", "CapstanModules", "CapstanOutput",
                "CapstanPlaybook", "CapstanResults", "CapstanTemplating", "CapstanTransport", "CapstanYAML",
                "CapstanTestSupport",
            ]),
        .testTarget(
            name: "CapstanClusterTests",
            dependencies: [
                "CapstanBasics", "CapstanCluster", "CapstanExecution", "CapstanInventory", "CapstanModules",
                "CapstanOutput", "CapstanPlaybook", "CapstanResults", "CapstanTemplating", "CapstanTransport",
                "CapstanYAML", "CapstanTestSupport",
            ]),
        /// Tests that need root, a lab of nodes, a loopback sshd or the built `capstan` binary.
        .testTarget(
            name: "CapstanLabTests",
            dependencies: [
                "CapstanBasics", "CapstanCluster", "CapstanExecution", "CapstanInventory", "CapstanModules",
                "CapstanOutput", "CapstanPlaybook", "CapstanResults", "CapstanTemplating", "CapstanTestSupport",
                "CapstanTransport", "CapstanYAML",
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
