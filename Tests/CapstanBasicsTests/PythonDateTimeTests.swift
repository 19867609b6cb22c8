import Foundation
import Testing

@testable import CapstanBasics
@testable import CapstanModules

/// `start`/`end` of command results: Python's `str(datetime.now())`, local time, microseconds.
@Suite struct PythonDateTimeTests {
    @Test func formatsLocalTimeWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let expected = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.123456", parts.year!, parts.month!, parts.day!, parts.hour!,
            parts.minute!, parts.second!)
        #expect(PythonDateTime.string(date) == expected)
        #expect(PythonDateTime.string(Date(timeIntervalSince1970: 1_795_000_000)).hasSuffix(".000000"))
        #expect(CommandTimestamps.delta(3_725.000_042) == "1:02:05.000042")
    }
}
