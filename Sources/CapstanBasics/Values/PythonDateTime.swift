import Foundation

/// Python's `str(datetime.now())` (`2024-01-31 12:00:00.123456`, local time), which Ansible puts in
/// `start`/`end` fields. Built from `localtime_r` rather than a `DateFormatter`: one formatter costs more
/// CPU than the rest of a command task, and ICU keeps only milliseconds.
package enum PythonDateTime {
    /// `date` as `str(datetime)` prints it, in local time.
    package static func string(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(Int(parts.tm_year) + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + " \(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(micros, 6))"
    }

    /// `%0Nd`.
    package static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
