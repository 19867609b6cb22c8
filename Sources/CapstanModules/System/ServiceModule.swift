/// `service`: Ansible picks the host's service manager; Capstan's nodes run systemd, so `service`
/// runs the `systemd` module's program with `name`, `state` and `enabled`. The SysV-only arguments
/// (`pattern`, `runlevel`, `sleep`, `arguments`) are accepted and, as Ansible's action does when it
/// hands over to systemd, not used; like there, `name` alone only reports the unit's status. A host without systemd fails with Ansible's unknown-state message.
public struct ServiceModule: Module {
    public static let name = "service"
    public static let spec = ArgumentSpec(
        [
            ArgumentDefinition("name", required: true),
            ArgumentDefinition("state", choices: ["reloaded", "restarted", "started", "stopped"]),
            ArgumentDefinition("enabled", .bool), ArgumentDefinition("sleep", .int), ArgumentDefinition("pattern"),
            ArgumentDefinition("runlevel", default: "default"),
            ArgumentDefinition("arguments", aliases: ["args"], default: ""),
            ArgumentDefinition("use", default: "auto"),
        ])

    let inner: SystemdModule

    public init(arguments: ModuleArguments) throws {
        var request = SystemdModule.Request()
        request.unit = arguments.string("name")
        request.state = arguments.string("state")
        request.enabled = arguments.optionalBool("enabled")
        inner = try SystemdModule(request: request, module: Self.name)
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome { try await inner.run(in: context) }
}
