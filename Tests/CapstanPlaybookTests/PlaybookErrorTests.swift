import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanBasics

/// Each malformed fixture must fail with an `InputError` where ansible-playbook --syntax-check points
/// (its `Origin:` line, when it gives one) and with a message that starts as Ansible's does.
struct PlaybookErrorTests {
    /// What ansible-playbook said about a malformed playbook.
    struct AnsibleError {
        var message: String
        var origin: (file: String, line: Int, column: Int)?
    }

    static func ansibleError(_ name: String) throws -> AnsibleError {
        let lines = try PlaybookFixtures.expected("malformed/\(name).txt").split(separator: "\n").map(String.init)
        let message = lines.first { $0.hasPrefix("[ERROR]: ") }.map { String($0.dropFirst(9)) } ?? ""
        var origin: (String, Int, Int)?
        if let line = lines.first(where: { $0.hasPrefix("Origin: ") && $0 != "Origin: <unknown>" }) {
            let parts = line.dropFirst(8).split(separator: ":")
            if parts.count == 3, let l = Int(parts[1]), let c = Int(parts[2]) { origin = (String(parts[0]), l, c) }
        }
        return AnsibleError(message: message, origin: origin)
    }

    @Test(arguments: PlaybookFixtures.names("malformed"))
    func failsWhereAnsibleFails(_ name: String) throws {
        let ansible = try Self.ansibleError(name)
        #expect(!ansible.message.isEmpty, "the oracle output has no [ERROR] line")
        let path = PlaybookFixtures.root + "/malformed/\(name).yml"
        do {
            _ = try PlaybookFixtures.loader.load(path: path)
            Issue.record("loading \(name) succeeded; Ansible said: \(ansible.message)")
        } catch let error as InputError {
            let file = error.location.file.replacingOccurrences(of: PlaybookFixtures.root + "/", with: "")
            if let origin = ansible.origin {
                #expect(
                    file == origin.file && error.location.line == origin.line
                        && error.location.column == origin.column, "\(error) vs Ansible's \(origin)")
            } else {
                #expect(file == "malformed/\(name).yml", "\(error)")
            }
            // The fixed phrase: up to 4 words, stopping at Ansible's first ": " (details follow it).
            let phrase = ansible.message.components(separatedBy: ": ").first ?? ansible.message
            let head = phrase.split(separator: " ").prefix(4).joined(separator: " ")
            #expect(error.message.hasPrefix(head), "\(error.message) should start like Ansible's: \(ansible.message)")
        }
    }
}
