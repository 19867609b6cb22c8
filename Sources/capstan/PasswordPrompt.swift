import ArgumentParser
import CapstanEngine
import Glibc

/// Reads a password from the terminal without echoing it.
enum PasswordPrompt {
    static func read(_ prompt: String) throws -> Secret {
        guard isatty(0) == 1 else {
            throw ValidationError("a password was asked for, but standard input is not a terminal")
        }
        guard let cString = getpass(prompt) else { throw ValidationError("no password was read") }
        return Secret(String(cString: cString))
    }
}
