import CapstanBasics
import Foundation

/// One sudo invocation's random prompt and success marker, and the watcher that reads sudo's output:
/// when to send the password, whether it was rejected, and which bytes belong to the command.
///
/// Transport-independent, so SSH channels and local processes share it. Feed it output as it arrives;
/// it answers with what to do next.
struct BecomeSession {
    /// What sudo prints on stderr when it wants the password (random, so command output cannot fake it).
    let prompt: String
    /// What the inner shell prints on stdout, followed by its process id, before the command starts.
    let marker: String
    /// The password to send, if any.
    let password: Secret?

    private(set) var passwordSent = false
    private(set) var started = false
    /// The inner shell's process id, from the marker line. Under sudo's `use_pty` (Debian's default) the
    /// command runs in a session and process group of its own, which a kill aimed at sudo's misses.
    private(set) var commandPID: Int?
    private var stdoutHead: [UInt8] = []
    private var stderrHead: [UInt8] = []

    /// What the transport must do after feeding output.
    enum Action: Equatable {
        /// Nothing yet.
        case none
        /// Write the password line, then the command's own stdin.
        case sendPassword
        /// sudo let the command start: write the command's stdin now if not written yet.
        case started
        /// sudo asked again after the password was sent: it was wrong. Kill the command.
        case passwordRejected
    }

    init(password: Secret?) {
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        prompt = "[capstan-sudo-\(token.prefix(12))] password: "
        marker = "CAPSTAN-BECOME-SUCCESS-\(token.suffix(16))"
        self.password = password
    }

    /// Appends a chunk of the command's output to the stream it came on, through `session`'s filters
    /// when privileges are escalated; returns what sudo's exchange asks of the reader. One entry point
    /// for the local and the SSH command readers.
    static func deliver(
        _ chunk: [UInt8], isStderr: Bool, through session: inout BecomeSession?, stdout: inout [UInt8],
        stderr: inout [UInt8]
    ) -> Action {
        var action = Action.none
        switch (session != nil, isStderr) {
        case (false, true): stderr += chunk
        case (false, false): stdout += chunk
        case (true, true): stderr += session!.filterStderr(chunk, action: &action)
        case (true, false): stdout += session!.filterStdout(chunk, action: &action)
        }
        return action
    }

    /// Watches stdout until the marker line (`marker pid`); returns the bytes that belong to the command.
    mutating func filterStdout(_ bytes: [UInt8], action: inout Action) -> [UInt8] {
        guard !started else { return bytes }
        stdoutHead += bytes
        guard let range = stdoutHead.firstRange(of: Array((marker + " ").utf8)),
            let newline = stdoutHead[range.upperBound...].firstIndex(of: UInt8(ascii: "\n"))
        else { return [] }
        commandPID = Int(String(decoding: stdoutHead[range.upperBound..<newline], as: UTF8.self))
        started = true
        action = .started
        let rest = Array(stdoutHead[(newline + 1)...])
        stdoutHead = []
        return rest
    }

    /// Holds stderr back until the command starts (it is sudo's until then) and watches it for prompts.
    mutating func filterStderr(_ bytes: [UInt8], action: inout Action) -> [UInt8] {
        guard !started else { return bytes }
        stderrHead += bytes
        let prompts = stderrHead.ranges(of: Array(prompt.utf8)).count
        if prompts >= 1 && !passwordSent && password != nil {
            passwordSent = true
            action = .sendPassword
        } else if prompts >= 2 {
            action = .passwordRejected
        }
        return []
    }

    /// sudo's held-back stderr without its prompts; call once the command started or ended.
    mutating func takeHeldStderr() -> [UInt8] {
        var kept: [UInt8] = []
        var rest = stderrHead[...]
        while let range = rest.firstRange(of: Array(prompt.utf8)) {
            kept += rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
        }
        kept += rest
        stderrHead = []
        return kept
    }

    /// Called when the command ended: if sudo never let it start, says why as an error.
    mutating func failure(host: String, user: String) -> ConnectionError? {
        guard !started else { return nil }
        let text = String(decoding: takeHeldStderr(), as: UTF8.self)
        if passwordSent || text.contains("incorrect password") {
            return .becomePasswordWrong(host: host, user: user)
        }
        if text.contains("password is required") || text.contains("a terminal is required") {
            return .becomePasswordRequired(host: host, user: user)
        }
        let detail = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return .becomeFailed(host: host, user: user, detail: detail.isEmpty ? "sudo printed nothing" : detail)
    }
}
