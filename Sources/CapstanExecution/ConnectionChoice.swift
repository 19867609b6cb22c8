import CapstanBasics
import CapstanTemplating

/// Which connection plugin a task uses on a host, by Ansible's rule: the `ansible_connection`
/// variable (inventory, play, block and task vars, `set_fact`, extra vars: the host's variables at
/// that task) wins over the `connection` keyword (the task's, then its blocks', then the play's);
/// without either, the inventory's default (`ssh`; `local` for the implicit localhost).
enum ConnectionChoice {
    /// The plugin named by `variable` (already templated) or else `keyword` (templated in `scope`);
    /// nil when neither says. `smart` and `paramiko` are SSH for Capstan, which has one SSH
    /// implementation.
    static func kind(
        variable: Value?, keyword: String?, templar: Templar, scope: any VariableScope
    ) throws -> String? {
        var chosen: String?
        if let variable, variable != .null {
            chosen = variable.pythonString
        } else if let keyword {
            chosen = try templar.render(keyword, scope: scope)
        }
        guard let name = chosen?.trimmingWhitespace(), !name.isEmpty else { return nil }
        return normalized(name)
    }

    /// One name per implementation, so that one SSH session serves `ssh`, `smart` and `paramiko`.
    static func normalized(_ name: String) -> String {
        let short = name.hasPrefix("ansible.builtin.") ? String(name.dropFirst("ansible.builtin.".count)) : name
        return ["smart", "paramiko", "paramiko_ssh", "ssh"].contains(short) ? "ssh" : short
    }
}
