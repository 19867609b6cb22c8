import Foundation

/// The processes of this machine as `/proc` lists them, for tests that check what a lab, a script
/// or a test left running.
package enum HostProcesses {
    /// One process: its PID and its command line, arguments joined by spaces.
    package struct Process: CustomStringConvertible {
        package let pid: Int32
        package let commandLine: String
        package var description: String { "\(pid) \(commandLine)" }
    }

    /// Every live process (zombies excluded) whose command line contains `text`.
    package static func matching(_ text: String) -> [Process] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Process? in
            guard let pid = Int32(entry), pid != getpid(),
                let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !raw.isEmpty
            else { return nil }
            let line = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            return line.contains(text) ? Process(pid: pid, commandLine: line) : nil
        }
    }

    /// `matching(text)` once it is empty, or what is still there after `seconds` (a process sent
    /// TERM may take a moment to go).
    package static func remaining(_ text: String, within seconds: Double = 5) -> [Process] {
        let deadline = Date().addingTimeInterval(seconds)
        var left = matching(text)
        while !left.isEmpty && Date() < deadline {
            usleep(100_000)
            left = matching(text)
        }
        return left
    }
}
