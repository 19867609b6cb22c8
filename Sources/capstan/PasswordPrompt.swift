import ArgumentParser
import CapstanBasics
import CapstanOutput
import Foundation
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

    /// Asks for a key's passphrase on the terminal, once per key file, one host at a time; nil (no
    /// terminal) makes the connection skip that key.
    static func passphraseAsker() -> (@Sendable (String) -> Secret?)? {
        guard isatty(0) == 1 else { return nil }
        let cache = PassphraseCache()
        return { prompt in cache.answer(prompt) }
    }
}

/// Remembers passphrases by prompt text so that fifty hosts sharing a key ask once.
final class PassphraseCache: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: Secret] = [:]

    func answer(_ prompt: String) -> Secret? {
        lock.lock()
        defer { lock.unlock() }
        if let known = answers[prompt] { return known }
        // Clear the live progress line first: the prompt goes to the same terminal.
        OutputStream.standardError.write("\r\u{1B}[2K")
        let text = prompt.lowercased().hasPrefix("passphrase") ? "Enter passphrase for the SSH key: " : prompt
        guard let typed = getpass(text) else { return nil }
        let secret = Secret(String(cString: typed))
        answers[prompt] = secret
        return secret
    }
}
