import Foundation

/// Text tables for `capstan runs`.
public enum RunsTable {
    /// One line per run: id, start time, duration, kind, exit code, host counters, command.
    public static func list(_ rows: [Journal.RunSummary]) -> String {
        var lines = [
            pad(["ID", "STARTED", "SECONDS", "KIND", "EXIT", "HOSTS", "CHANGED", "FAILED", "UNREACH", "COMMAND"])
        ]
        for r in rows {
            lines.append(
                pad([
                    String(r.id), timestamp(r.startedAt), r.duration.map { String(format: "%.2f", $0) } ?? "-", r.kind,
                    r.exitCode.map(String.init) ?? "-", String(r.hosts), String(r.changed), String(r.failed),
                    String(r.unreachable), r.command,
                ]))
        }
        return lines.joined(separator: "\n")
    }

    /// A run's header and then one line per recorded result: its play (number, and the play's name on
    /// the first line of each play), the task's number in the run, host, status, time and task name.
    public static func show(_ run: Journal.RunSummary, _ results: [Journal.RecordedResult]) -> String {
        var lines = [
            "run \(run.id): \(run.kind) \(run.command), started \(timestamp(run.startedAt)), exit \(run.exitCode.map(String.init) ?? "-")",
            showPad(["PLAY", "TASK", "HOST", "STATUS", "MS", "NAME"]),
        ]
        var shownPlay: Int?
        for r in results {
            if let play = r.playIndex, play > 0, play != shownPlay {
                lines.append("PLAY \(play) [\(r.playName)]")
                shownPlay = play
            }
            lines.append(
                showPad([
                    r.playIndex.map(String.init) ?? "-", String(r.taskIndex), r.host, r.status,
                    String(format: "%.1f", r.durationMs), r.taskName,
                ]))
        }
        return lines.joined(separator: "\n")
    }

    /// `show`'s columns: play, task, host, status, milliseconds, then the name as it is.
    static func showPad(_ cells: [String]) -> String {
        let widths = [5, 5, 20, 8, 8]
        return cells.enumerated().map { i, c in
            i < widths.count ? c.padding(toLength: max(widths[i], c.count + 1), withPad: " ", startingAt: 0) : c
        }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }

    static func pad(_ cells: [String]) -> String {
        let widths = [5, 20, 8, 6, 5, 6, 8, 7, 8]
        return cells.enumerated().map { i, c in
            i < widths.count ? c.padding(toLength: max(widths[i], c.count + 1), withPad: " ", startingAt: 0) : c
        }.joined()
    }
}
