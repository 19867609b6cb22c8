import CapstanBasics
import CapstanInventory
import Foundation

/// Lookups over the render's variables and the controller: `env`, `vars`, `varnames`,
/// `inventory_hostnames`, and `pipe`/`lines`, which run a shell command on the controller (in
/// `playbook_dir`), as Ansible runs them.
extension JinjaLookups {
    static func registerVariables(in env: TemplateEnvironment) {
        env.lookups["env"] = { args in
            .list(
                args.positional.map { term in
                    ProcessInfo.processInfo.environment[term.pythonString].map(Value.string)
                        ?? args.keywords["default"] ?? .string("")
                })
        }
        env.lookups["vars"] = vars
        env.lookups["varnames"] = varnames
        env.lookups["inventory_hostnames"] = { args in
            let groups = ((try? args.scope?.lookup("groups")) ?? nil)?.dictValue ?? [:]
            let members = groups.map { ($0.key, ($0.value.listValue ?? []).map(\.pythonString)) }
            let patterns = args.positional.flatMap { $0.listValue ?? [$0] }.map(\.pythonString)
            return .list(Inventory.hostNames(matching: patterns, groups: members).map(Value.string))
        }
        env.lookups["pipe"] = { args in
            .list(
                try args.positional.map {
                    .string(try run($0.pythonString, "pipe", scope: args.scope).trimmingTrailingWhitespace())
                })
        }
        env.lookups["lines"] = { args in
            .list(
                try args.positional.flatMap { term in
                    JinjaPyStr.splitlines(try run(term.pythonString, "lines", scope: args.scope)).map(Value.string)
                })
        }
    }

    /// `vars`: each named variable's value, or `default`.
    static func vars(_ args: CallArguments) throws -> Value {
        let fallback = args.keywords["default"]
        return .list(
            try args.positional.map { term in
                guard case .string(let name) = term else {
                    throw TemplateError("Variable name must be 'str' not '\(term.pythonTypeName)'.")
                }
                if let value = try args.scope?.lookup(name) { return value }
                if let fallback, fallback != .null { return fallback }
                throw TemplateError("No variable named '\(name)' was found.")
            })
    }

    /// `varnames`: the names of the variables a Python regex finds a match in.
    static func varnames(_ args: CallArguments) throws -> Value {
        let names = args.scope?.variableNames ?? []
        var found: [Value] = []
        for term in args.positional {
            guard case .string(let pattern) = term else {
                throw TemplateError(
                    "Invalid setting identifier, \"\(term.pythonString)\" is not a string, it is a \(term.pythonTypeName)"
                )
            }
            let regex: NSRegularExpression
            do {
                regex = try JinjaPythonRegex.compile(pattern)
            } catch {
                throw TemplateError("Unable to use \"\(pattern)\" as a search parameter")
            }
            for name in names {
                let range = NSRange(location: 0, length: (name as NSString).length)
                if regex.firstMatch(in: name, range: range) != nil { found.append(.string(name)) }
            }
        }
        return .list(found)
    }

    /// Runs `command` with `/bin/sh -c` in `playbook_dir`; its output, or an error naming the exit status.
    static func run(_ command: String, _ lookup: String, scope: (any VariableScope)?) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        if let dir = ((try? scope?.lookup("playbook_dir")) ?? nil)?.stringValue {
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TemplateError("lookup_plugin.\(lookup)(\(command)) could not start: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TemplateError("lookup_plugin.\(lookup)(\(command)) returned \(process.terminationStatus)")
        }
        try TemplateLimits.checkString(bytes: data.count, lookup)
        return String(decoding: data, as: UTF8.self)
    }
}
